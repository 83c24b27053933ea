import type { Sql } from '../outbox/unit-of-work.ts'

/** What a replica keeps of an account. */
export interface ReplicaUser {
  id: string
  username: string
  display_name: string
  /** The profile picture's preview, null for none. */
  avatar_url: string | null
  /** The version: the time of the change this row reflects. */
  updated_at: string
}

export type Relation = 'blocks' | 'mutes'
const COLUMNS_OF: Record<Relation, [actor: string, subject: string]> = { blocks: ['blocker_id', 'blocked_id'], mutes: ['muter_id', 'muted_id'] }
const USER_COLUMNS = `id::text, username, display_name, avatar_url, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`

/**
 * The SQL of the replicas' tables (shared/migrations-replicas), on the pool or on the client of
 * a transaction.
 */
export function createReplicaRepository(db: Sql) {
  return {
    users: {
      /** Applies a change unless the row already reflects a newer one. */
      async upsert(user: ReplicaUser) {
        await db.query(
          `INSERT INTO users (id, username, display_name, avatar_url, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, avatar_url = EXCLUDED.avatar_url,
             updated_at = EXCLUDED.updated_at
           WHERE users.updated_at < EXCLUDED.updated_at`,
          [user.id, user.username, user.display_name, user.avatar_url, user.updated_at],
        )
      },
      /** Inserts a row unless one is there, whatever its version. */
      async insertIfMissing(user: ReplicaUser) {
        await db.query(
          'INSERT INTO users (id, username, display_name, avatar_url, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
          [user.id, user.username, user.display_name, user.avatar_url, user.updated_at],
        )
      },
      async get(id: string): Promise<ReplicaUser | undefined> {
        const { rows: [row] } = await db.query<ReplicaUser>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id])
        return row
      },
      /** By username in any case. */
      async findByUsernames(usernames: string[]): Promise<ReplicaUser[]> {
        const { rows } = await db.query<ReplicaUser>(
          `SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = ANY($1::text[])`, [usernames.map((name) => name.toLowerCase())],
        )
        return rows
      },
    },
    relations: {
      /** Records or forgets that `actorId` blocks (or mutes) `subjectId`; the same change twice is one. */
      async set(relation: Relation, actorId: string, subjectId: string, present: boolean) {
        const [actor, subject] = COLUMNS_OF[relation]
        await db.query(
          present
            ? `INSERT INTO ${relation} (${actor}, ${subject}) VALUES ($1, $2) ON CONFLICT DO NOTHING`
            : `DELETE FROM ${relation} WHERE ${actor} = $1 AND ${subject} = $2`,
          [actorId, subjectId],
        )
      },
      /** Whether either of the two has blocked the other. */
      async blockedEitherWay(a: string, b: string): Promise<boolean> {
        const { rowCount } = await db.query(
          'SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)', [a, b],
        )
        return (rowCount ?? 0) > 0
      },
    },
  }
}
export type ReplicaRepository = ReturnType<typeof createReplicaRepository>
