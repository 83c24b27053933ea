import type { Pool } from 'pg'
import type { ReplicaUser } from './user.schemas.ts'

const COLUMNS = `id::text, username, display_name, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`

/** The local replica of the accounts (the `users` table). */
export function createUserRepository(pool: Pool) {
  return {
    async findById(id: string): Promise<ReplicaUser | undefined> {
      const { rows: [row] } = await pool.query<ReplicaUser>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])
      return row
    },
    /** The accounts with any of these usernames, ignoring case. */
    async findByUsernames(usernames: string[]): Promise<ReplicaUser[]> {
      const { rows } = await pool.query<ReplicaUser>(
        `SELECT ${COLUMNS} FROM users WHERE lower(username) = ANY($1::text[])`, [usernames.map((name) => name.toLowerCase())],
      )
      return rows
    },
    /** Applies a change unless the row already reflects a newer one, so replays and stragglers change nothing. */
    async upsert(user: ReplicaUser) {
      await pool.query(
        `INSERT INTO users (id, username, display_name, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
         WHERE users.updated_at < EXCLUDED.updated_at`,
        [user.id, user.username, user.display_name, user.updated_at],
      )
    },
    /** For a row learnt outside the event stream: the events stay authoritative, so it never overwrites. */
    async insertIfMissing(user: ReplicaUser) {
      await pool.query(
        'INSERT INTO users (id, username, display_name, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
        [user.id, user.username, user.display_name, user.updated_at],
      )
    },
  }
}
export type UserRepository = ReturnType<typeof createUserRepository>
