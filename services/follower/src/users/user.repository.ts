import type { Pool } from 'pg'
import type { ReplicaUser } from './user.schemas.ts'

/** The local replica of the accounts (the `users` table). */
export function createUserRepository(pool: Pool) {
  return {
    async exists(id: string): Promise<boolean> {
      const { rowCount } = await pool.query('SELECT 1 FROM users WHERE id = $1', [id])
      return rowCount === 1
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
