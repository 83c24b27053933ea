import { uniqueViolation } from '@starling/shared/db'
import type { Sql } from '@starling/shared/outbox'
import type { PrivateProfile, PublicProfile } from './user.schemas.ts'

const PROFILE_COLUMNS = `id::text, username, display_name, bio, avatar_url, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  followers_count, following_count, tweets_count`

export interface Credentials {
  id: string
  password_hash: string
}

export interface NewAccount {
  username: string
  email: string
  passwordHash: string
  displayName: string
}

/**
 * The unique rule a new account broke: its username (ignoring case), its email (ignoring case), or
 * the username's skeleton (a look-alike of a taken username, see migrations/1710000000002_username-skeleton.sql).
 */
export type Taken = 'username' | 'email' | 'username_skeleton'
const TAKEN_BY_INDEX: Record<string, Taken> = {
  users_username_key: 'username',
  users_email_key: 'email',
  users_username_skeleton_key: 'username_skeleton',
}

export type UpdatedProfile = PrivateProfile & { updated_at: string; avatar_media_id: string | null }

/** A change of profile: each field given is set; `avatar` null removes the picture. */
export interface ProfileUpdate {
  display_name?: string | undefined
  bio?: string | undefined
  avatar?: { mediaId: string; url: string } | null | undefined
}

/** The accounts table, on the pool (reads) or on a unit of work's transaction (changes). */
export function createUserRepository(db: Sql) {
  return {
    /**
     * The new account, or the rule it broke. After a broken rule the transaction is aborted, so
     * the caller must end the unit of work by throwing.
     */
    async insert(user: NewAccount): Promise<PublicProfile | { taken: Taken }> {
      try {
        const { rows: [row] } = await db.query<PublicProfile>(
          `INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $2, $3, $4) RETURNING ${PROFILE_COLUMNS}`,
          [user.username, user.email, user.passwordHash, user.displayName],
        )
        return row!
      } catch (error) {
        const taken = TAKEN_BY_INDEX[uniqueViolation(error) ?? '']
        if (taken) return { taken }
        throw error
      }
    },
    async findById(id: string): Promise<PublicProfile | undefined> {
      const { rows: [row] } = await db.query<PublicProfile>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1`, [id])
      return row
    },
    async findPrivateById(id: string): Promise<PrivateProfile | undefined> {
      const { rows: [row] } = await db.query<PrivateProfile>(`SELECT ${PROFILE_COLUMNS}, email FROM users WHERE id = $1`, [id])
      return row
    },
    async findByUsername(username: string): Promise<PublicProfile | undefined> {
      const { rows: [row] } = await db.query<PublicProfile>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username])
      return row
    },
    /** By username or, when it contains an @, by email; both ignore case. */
    async findCredentials(login: string): Promise<Credentials | undefined> {
      const column = login.includes('@') ? 'email' : 'username'
      const { rows: [row] } = await db.query<Credentials>(`SELECT id::text, password_hash FROM users WHERE lower(${column}) = lower($1)`, [login])
      return row
    },
    /** Changes what is given (undefined keeps it); undefined when there is no such account. */
    async updateProfile(id: string, changes: ProfileUpdate): Promise<UpdatedProfile | undefined> {
      const { rows: [row] } = await db.query<UpdatedProfile>(
        `UPDATE users SET display_name = COALESCE($2, display_name), bio = COALESCE($3, bio),
           avatar_media_id = CASE WHEN $4 THEN $5::bigint ELSE avatar_media_id END, avatar_url = CASE WHEN $4 THEN $6 ELSE avatar_url END,
           updated_at = now() WHERE id = $1
         RETURNING ${PROFILE_COLUMNS}, email, avatar_media_id::text,
           to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`,
        [id, changes.display_name ?? null, changes.bio ?? null, changes.avatar !== undefined, changes.avatar?.mediaId ?? null, changes.avatar?.url ?? null],
      )
      return row
    },
    async addTweets(authorId: string, delta: 1 | -1) {
      await db.query('UPDATE users SET tweets_count = tweets_count + $2 WHERE id = $1', [authorId, delta])
    },
    /** Adds `delta` to the follow counts of both sides of a follow. */
    async addFollow(followerId: string, followeeId: string, delta: 1 | -1) {
      await db.query('UPDATE users SET following_count = following_count + $2 WHERE id = $1', [followerId, delta])
      await db.query('UPDATE users SET followers_count = followers_count + $2 WHERE id = $1', [followeeId, delta])
    },
  }
}
export type UserRepository = ReturnType<typeof createUserRepository>
