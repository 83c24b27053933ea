import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Sql } from '@starling/shared/outbox'

export interface RefreshTokenRow {
  id: string
  family_id: string
  user_id: string
  expired: boolean
  used: boolean
  revoked: boolean
}

// Only a hash is stored: a database leak does not hand out working tokens.
const digest = (token: string) => createHash('sha256').update(token).digest()

/** refresh_tokens, on a unit of work's transaction (a lock lasts until it ends). */
export function createRefreshTokenRepository(db: Sql) {
  return {
    /** Stores a new token of `familyId` and returns the secret to hand to the client (once). */
    async issue(userId: string, familyId: string, ttlDays: number): Promise<string> {
      const token = randomBytes(32).toString('base64url')
      await db.query(
        `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
        [randomUUID(), familyId, userId, digest(token), ttlDays],
      )
      return token
    },
    /** Finds a token and locks its row, so two refreshes with one token cannot both succeed. */
    async lock(token: string): Promise<RefreshTokenRow | undefined> {
      const { rows: [row] } = await db.query<RefreshTokenRow>(
        `SELECT id, family_id, user_id::text, expires_at < now() AS expired, used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked
           FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [digest(token)],
      )
      return row
    },
    async markUsed(id: string) {
      await db.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id])
    },
    /** Revokes every token of the family; false when it was revoked already. */
    async revokeFamily(familyId: string): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId])
      return (rowCount ?? 0) > 0
    },
  }
}
export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>
