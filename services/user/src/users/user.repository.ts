import type { Pool, PoolClient } from 'pg'
import type { PrivateProfile, PublicProfile } from './user.schemas.ts'

const PROFILE_COLUMNS = `id::text, username, display_name, bio, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  followers_count, following_count, tweets_count`

export interface Credentials {
  id: string
  password_hash: string
}

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
    async findPrivateById(id: string): Promise<PrivateProfile | undefined> {
      const { rows: [row] } = await pool.query<PrivateProfile>(`SELECT ${PROFILE_COLUMNS}, email FROM users WHERE id = $1`, [id])
      return row
    },
    async findByUsername(username: string): Promise<PublicProfile | undefined> {
      const { rows: [row] } = await pool.query<PublicProfile>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username])
      return row
    },
    /** By username or, when it contains an @, by email; both ignore case. */
    async findCredentials(login: string): Promise<Credentials | undefined> {
      const column = login.includes('@') ? 'email' : 'username'
      const { rows: [row] } = await pool.query<Credentials>(`SELECT id::text, password_hash FROM users WHERE lower(${column}) = lower($1)`, [login])
      return row
    },
    async updateProfile(tx: PoolClient, id: string, changes: { display_name?: string | undefined; bio?: string | undefined }): Promise<(PrivateProfile & { updated_at: string }) | undefined> {
      const { rows: [row] } = await tx.query<PrivateProfile & { updated_at: string }>(
        `UPDATE users SET display_name = COALESCE($2, display_name), bio = COALESCE($3, bio), updated_at = now() WHERE id = $1
         RETURNING ${PROFILE_COLUMNS}, email, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`,
        [id, changes.display_name ?? null, changes.bio ?? null],
      )
      return row
    },
    async addTweets(tx: PoolClient, authorId: string, delta: 1 | -1) {
      await tx.query('UPDATE users SET tweets_count = tweets_count + $2 WHERE id = $1', [authorId, delta])
    },
    /** Adds `delta` to the follow counts of both sides of a follow. */
    async addFollow(tx: PoolClient, followerId: string, followeeId: string, delta: 1 | -1) {
      await tx.query('UPDATE users SET following_count = following_count + $2 WHERE id = $1', [followerId, delta])
      await tx.query('UPDATE users SET followers_count = followers_count + $2 WHERE id = $1', [followeeId, delta])
    },
  }
}
export type UserRepository = ReturnType<typeof createUserRepository>
