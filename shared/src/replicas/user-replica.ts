import type { Logger } from 'pino'
import type { Raise } from '../errors/catalogue.ts'
import { avatarOfUser } from '../events/contracts.ts'
import type { EventEnvelope } from '../events/envelope.ts'
import { isId } from '../schemas/id.ts'
import type { ReplicaRepository, ReplicaUser } from './replica.repository.ts'

export type { ReplicaUser } from './replica.repository.ts'

/** The part of a user service profile the replica keeps. */
interface Profile {
  id: string
  username: string
  display_name: string
  avatar_url: string | null
  created_at: string
}

const RETRY_AFTER_SECONDS = 5

/** Looks an account up at its owner; undefined when it has none by that path. */
export type UserLookup = (path: `/users/${string}`) => Promise<ReplicaUser | undefined>

export interface UserServiceLookupOptions {
  /** The user service; several instances comma-separated, tried in turn when one cannot be reached. */
  userServiceUrl: string
  /** For each lookup. */
  timeoutMs?: number
  /** The service's own 503 for when the user service cannot answer, e.g. `errors.FLW_USER_SERVICE_UNAVAILABLE`. */
  unavailable: Raise
  logger?: Logger
  fetch?: typeof fetch
}

/**
 * The fallback of a replica that must not answer "nobody" for an account registered a moment ago
 * (the replica trails registration by the event's trip): a synchronous GET at the user service.
 * It couples the caller to the user service's availability, so a replica has it only when its
 * service passes it (see README, "Data copied from other services").
 */
export function userServiceLookup(options: UserServiceLookupOptions): UserLookup {
  const { userServiceUrl, timeoutMs = 2000, unavailable, logger, fetch: fetchFn = fetch } = options
  const refused = (cause: unknown) => unavailable('Cannot look that account up right now; try again shortly.', { retryAfterSeconds: RETRY_AFTER_SECONDS, cause })
  const instances = userServiceUrl.split(',').map((url) => url.trim()).filter(Boolean)
  return async (path) => {
    logger?.debug({ path }, 'user not in the replica yet; asking the user service')
    let response: Response | undefined
    let failure: unknown
    for (const instance of instances) {
      try {
        response = await fetchFn(new URL(path, instance), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
        break
      } catch (error) {
        failure = error
      }
    }
    if (!response) throw refused(failure)
    if (response.status === 404) return undefined
    if (!response.ok) throw refused(new Error(`GET ${path} answered ${response.status}`))
    const profile = await response.json() as Profile
    // Versioned as of registration: any user.updated event still on its way is newer and wins.
    return { id: profile.id, username: profile.username, display_name: profile.display_name, avatar_url: profile.avatar_url, updated_at: profile.created_at }
  }
}

/**
 * A service's local copy of the accounts, for the services that need to know who exists and what
 * they are called without calling the user service on every request. Kept in step by the user
 * events; the payload's own timestamp is the version, so a redelivered or older event never
 * overwrites a newer one. With `lookup`, an id or a username it does not know is looked up once
 * and remembered (never over a row the events wrote); without, it answers from the copy alone.
 */
export function createUserReplica(repository: Pick<ReplicaRepository, 'users'>, options: { lookup?: UserLookup } = {}) {
  const { users } = repository
  const { lookup } = options

  async function lookUp(path: `/users/${string}`): Promise<ReplicaUser | undefined> {
    const user = lookup && await lookup(path)
    if (user) await users.insertIfMissing(user)
    return user
  }

  async function get(id: string): Promise<ReplicaUser | undefined> {
    if (!isId(id)) return undefined
    return (await users.get(id)) ?? lookUp(`/users/${id}`)
  }

  return {
    /** Kafka handler for the users topic: registrations and updates, newer version wins; other events are ignored. */
    async handle(event: EventEnvelope) {
      if (event.type === 'user.registered') {
        const { user_id, username, display_name, created_at } = event.payload
        await users.upsert({ id: user_id, username, display_name, avatar_url: null, updated_at: created_at })
      } else if (event.type === 'user.updated') {
        const { user_id, username, display_name, updated_at } = event.payload
        await users.upsert({ id: user_id, username, display_name, avatar_url: avatarOfUser(event.payload), updated_at })
      }
    },

    /**
     * The account with this id, from the replica or else from the lookup; undefined when nobody
     * has it. The lookup may throw (a 503 with Retry-After when the user service cannot answer).
     */
    get,

    /** Whether some account has this id, asking as get() does. */
    exists: async (id: string) => (await get(id)) !== undefined,

    /**
     * The accounts with these usernames (any case), in the order given, once each; names nobody
     * has are left out. Each name the replica lacks is looked up.
     */
    async findByUsernames(usernames: string[]): Promise<ReplicaUser[]> {
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
        return [user]
      })
    },
  }
}
export type UserReplica = ReturnType<typeof createUserReplica>
