import type { Pool } from 'pg'
import type { Logger } from 'pino'
import { AppError } from '../errors/app-error.ts'
import type { EventEnvelope } from '../events/envelope.ts'
import { isId } from '../schemas/id.ts'

/*
 * A service's local copy of the accounts, for the services that need to know who exists and what
 * they are called without calling the user service on every request. Each service owns the table
 * in its own migrations; this module expects:
 *
 *   CREATE TABLE users (
 *     id           BIGINT      PRIMARY KEY,
 *     username     TEXT        NOT NULL,
 *     display_name TEXT        NOT NULL,
 *     updated_at   TIMESTAMPTZ NOT NULL  -- the version: an older change never overwrites it
 *   );
 *   -- only if findByUsernames is used:
 *   CREATE INDEX users_username_idx ON users (lower(username));
 */


/** What the replica keeps of an account. */
export interface ReplicaUser {
  id: string
  username: string
  display_name: string
  /** The version: the time of the change this row reflects. */
  updated_at: string
}

/** The part of a user service profile the replica keeps. */
interface Profile {
  id: string
  username: string
  display_name: string
  created_at: string
}

const RETRY_AFTER_SECONDS = 5
const COLUMNS = `id::text, username, display_name, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`

export interface UserReplicaDeps {
  pool: Pool
  userServiceUrl: string
  /** For each lookup at the user service. */
  timeoutMs?: number
  /** The service's own code for the 503 when the user service cannot answer, e.g. `FLW_USER_SERVICE_UNAVAILABLE`. */
  unavailableCode: string
  logger?: Logger
  fetch?: typeof fetch
}

/**
 * Kept in step by the user events; the payload's own timestamp is the version, so a redelivered or
 * older event never overwrites a newer one. The replica trails registration by a moment, so an id or
 * a username it does not know is looked up once at the user service and remembered.
 */
export function createUserReplica(deps: UserReplicaDeps) {
  const { pool, userServiceUrl, timeoutMs = 2000, unavailableCode, logger, fetch: fetchFn = fetch } = deps

  const unavailable = (cause: unknown) => new AppError(503, unavailableCode, 'Service Unavailable', {
    detail: 'Cannot look that account up right now; try again shortly.',
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    cause,
  })

  /** Applies a change unless the row already reflects a newer one, so replays and stragglers change nothing. */
  async function upsert(user: ReplicaUser) {
    await pool.query(
      `INSERT INTO users (id, username, display_name, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
       WHERE users.updated_at < EXCLUDED.updated_at`,
      [user.id, user.username, user.display_name, user.updated_at],
    )
  }

  /** For a row learnt outside the event stream: the events stay authoritative, so it never overwrites. */
  async function insertIfMissing(user: ReplicaUser) {
    await pool.query(
      'INSERT INTO users (id, username, display_name, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
      [user.id, user.username, user.display_name, user.updated_at],
    )
  }

  /** The account at `path` of the user service, now also in the replica; undefined when it answers 404. */
  async function lookUp(path: string): Promise<ReplicaUser | undefined> {
    logger?.debug({ path }, 'user not in the replica yet; asking the user service')
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
    await insertIfMissing(user)
    return user
  }

  async function get(id: string): Promise<ReplicaUser | undefined> {
    if (!isId(id)) return undefined
    const { rows: [row] } = await pool.query<ReplicaUser>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])
    return row ?? lookUp(`/users/${id}`)
  }

  return {
    /** Kafka handler for the users topic: registrations and updates, newer version wins; other events are ignored. */
    async handle(event: EventEnvelope) {
      if (event.type === 'user.registered') {
        const { user_id, username, display_name, created_at } = event.payload
        await upsert({ id: user_id, username, display_name, updated_at: created_at })
      } else if (event.type === 'user.updated') {
        const { user_id, username, display_name, updated_at } = event.payload
        await upsert({ id: user_id, username, display_name, updated_at })
      }
    },

    /**
     * The account with this id, from the replica or else from the user service; undefined when
     * nobody has it. Throws a 503 with Retry-After when the user service cannot answer.
     */
    get,

    /** Whether some account has this id, asking as get() does. */
    exists: async (id: string) => (await get(id)) !== undefined,

    /**
     * The accounts with these usernames (any case), in the order given, once each; names nobody
     * has are left out. Each name the replica lacks is looked up at the user service.
     */
    async findByUsernames(usernames: string[]): Promise<ReplicaUser[]> {
      if (usernames.length === 0) return []
      const { rows } = await pool.query<ReplicaUser>(
        `SELECT ${COLUMNS} FROM users WHERE lower(username) = ANY($1::text[])`, [usernames.map((name) => name.toLowerCase())],
      )
      const known = new Map(rows.map((user) => [user.username.toLowerCase(), user]))
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
