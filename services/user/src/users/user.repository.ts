import type { Pool, PoolClient } from 'pg'
import type { PublicProfile } from './user.schemas.ts'

const PROFILE_COLUMNS = `id::text, username, display_name, bio, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  followers_count, following_count, tweets_count`

export function createUserRepository(pool: Pool) {
  return {
    async insert(tx: PoolClient, user: { username: string; email: string; passwordHash: string; displayName: string }): Promise<PublicProfile> {
      const { rows: [row] } = await tx.query<PublicProfile>(
        `INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $2, $3, $4) RETURNING ${PROFILE_COLUMNS}`,
        [user.username, user.email, user.passwordHash, user.displayName],
      )
      return row!
    },
    async findById(id: string): Promise<PublicProfile | undefined> {
      const { rows: [row] } = await pool.query<PublicProfile>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1`, [id])
      return row
    },
  }
}
export type UserRepository = ReturnType<typeof createUserRepository>
