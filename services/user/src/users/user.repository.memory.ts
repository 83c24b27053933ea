import type { NewAccount, Taken, UserRepository } from './user.repository.ts'
import type { PrivateProfile, PublicProfile } from './user.schemas.ts'

// The SQL's username_skeleton (migrations/1710000000002_username-skeleton.sql), for the look-alike rule.
const skeleton = (username: string) => username.toLowerCase().replaceAll('0', 'o').replace(/[1i]/g, 'l').replaceAll('rn', 'm').replaceAll('vv', 'w')

type Stored = PrivateProfile & { password_hash: string; avatar_media_id: string | null }
function privateOf(row: Stored | undefined): PrivateProfile | undefined {
  if (!row) return undefined
  const { password_hash: _hash, avatar_media_id: _avatar, ...profile } = row
  return profile
}
function publicOf(row: Stored | undefined): PublicProfile | undefined {
  if (!row) return undefined
  const { password_hash: _hash, avatar_media_id: _avatar, email: _email, ...profile } = row
  return profile
}

/**
 * The accounts table in memory, for unit tests of the rules: ids count up from 1, usernames and
 * emails are unique ignoring case and usernames by their skeleton, checked in the order the
 * database's unique indexes are.
 */
export function createMemoryUserRepository(clock = (() => { let t = Date.parse('2026-01-01T00:00:00Z'); return () => new Date(t += 1000) })()) {
  const rows = new Map<string, Stored>()
  let nextId = 1
  const find = (match: (row: Stored) => boolean) => [...rows.values()].find(match)

  const repository: UserRepository = {
    async insert(user: NewAccount) {
      const taken: Taken | undefined =
        find((row) => row.username.toLowerCase() === user.username.toLowerCase()) ? 'username'
          : find((row) => row.email.toLowerCase() === user.email.toLowerCase()) ? 'email'
            : find((row) => skeleton(row.username) === skeleton(user.username)) ? 'username_skeleton'
              : undefined
      if (taken) return { taken }
      const row: Stored = {
        id: String(nextId++), username: user.username, email: user.email, password_hash: user.passwordHash, display_name: user.displayName,
        bio: '', avatar_url: null, avatar_media_id: null, created_at: clock().toISOString(), followers_count: 0, following_count: 0, tweets_count: 0,
      }
      rows.set(row.id, row)
      return publicOf(row)!
    },
    findById: async (id) => publicOf(rows.get(id)),
    findPrivateById: async (id) => privateOf(rows.get(id)),
    findByUsername: async (username) => publicOf(find((row) => row.username.toLowerCase() === username.toLowerCase())),
    async findCredentials(login) {
      const column = login.includes('@') ? 'email' : 'username'
      const row = find((candidate) => candidate[column].toLowerCase() === login.toLowerCase())
      return row && { id: row.id, password_hash: row.password_hash }
    },
    async updateProfile(id, changes) {
      const row = rows.get(id)
      if (!row) return undefined
      if (changes.display_name !== undefined) row.display_name = changes.display_name
      if (changes.bio !== undefined) row.bio = changes.bio
      if (changes.avatar !== undefined) Object.assign(row, { avatar_media_id: changes.avatar?.mediaId ?? null, avatar_url: changes.avatar?.url ?? null })
      return { ...privateOf(row)!, avatar_media_id: row.avatar_media_id, updated_at: clock().toISOString() }
    },
    async addTweets(authorId, delta) {
      const row = rows.get(authorId)
      if (row) row.tweets_count += delta
    },
    async addFollow(followerId, followeeId, delta) {
      const follower = rows.get(followerId)
      if (follower) follower.following_count += delta
      const followee = rows.get(followeeId)
      if (followee) followee.followers_count += delta
    },
  }
  return repository
}
