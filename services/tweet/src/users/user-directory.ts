import { AppError } from '@starling/shared'
import { isId } from '../ids.ts'
import type { UserRepository } from './user.repository.ts'
import type { MentionedUser, ReplicaUser } from './user.schemas.ts'

const RETRY_AFTER_SECONDS = 5

const unavailable = (cause: unknown) => new AppError(503, 'TWT_USER_SERVICE_UNAVAILABLE', 'Service Unavailable', {
  detail: 'Cannot look that account up right now; try again shortly.',
  headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  cause,
})

interface Profile {
  id: string
  username: string
  display_name: string
  created_at: string
}

/**
 * Answers "who is this account?" from the replica. The replica trails registration by a moment, so
 * an id or a username it does not know is looked up once at the user service and remembered.
 */
export function createUserDirectory(deps: { users: UserRepository; userServiceUrl: string; timeoutMs: number; fetch?: typeof fetch }) {
  const { users, userServiceUrl, timeoutMs, fetch: fetchFn = fetch } = deps

  /** The profile at `path` of the user service, or undefined when it answers 404. */
  async function lookUp(path: string): Promise<ReplicaUser | undefined> {
    let response: Response
    try {
      response = await fetchFn(new URL(path, userServiceUrl), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
    } catch (error) {
      throw unavailable(error)
    }
    if (response.status === 404) return undefined
    if (!response.ok) throw unavailable(new Error(`GET ${path} answered ${response.status}`))
    const profile = await response.json() as Profile
    // Versioned as of registration: any user.updated event still on its way is newer and wins.
    const user = { id: profile.id, username: profile.username, display_name: profile.display_name, updated_at: profile.created_at }
    await users.insertIfMissing(user)
    return user
  }

  async function get(id: string): Promise<ReplicaUser | undefined> {
    if (!isId(id)) return undefined
    return (await users.findById(id)) ?? lookUp(`/users/${id}`)
  }

  return {
    get,
    exists: async (id: string) => (await get(id)) !== undefined,

    /** The accounts these @names (any case) belong to, in the order given, once each; names nobody has are left out. */
    async mentioned(usernames: string[]): Promise<MentionedUser[]> {
      if (usernames.length === 0) return []
      const known = new Map((await users.findByUsernames(usernames)).map((user) => [user.username.toLowerCase(), user]))
      const missing = usernames.filter((name) => !known.has(name.toLowerCase()))
      const found = await Promise.all(missing.map((name) => lookUp(`/users/by-username/${encodeURIComponent(name)}`)))
      for (const user of found) if (user) known.set(user.username.toLowerCase(), user)
      const seen = new Set<string>()
      return usernames.flatMap((name) => {
        const user = known.get(name.toLowerCase())
        if (!user || seen.has(user.id)) return []
        seen.add(user.id)
        return [{ user_id: user.id, username: user.username }]
      })
    },
  }
}
export type UserDirectory = ReturnType<typeof createUserDirectory>
