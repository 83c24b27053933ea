import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Sql } from '@starling/shared/outbox'

export interface RefreshTokenRow {
  id: string
  family_id: string
  user_id: string
  expired: boolean
  used: boolean
  revoked: boolean
  /** Seconds since it was spent (null while unused), by the database's clock. */
  used_seconds_ago: number | null
  /** The token its refresh issued in its place; null while unused, and for one retired unused. */
  replaced_by: string | null
}

// Only a hash is stored: a database leak does not hand out working tokens.
const digest = (token: string) => createHash('sha256').update(token).digest()

/** refresh_tokens, on a unit of work's transaction (a lock lasts until it ends). */
export function createRefreshTokenRepository(db: Sql) {
  async function lockWhere(condition: string, value: unknown): Promise<RefreshTokenRow | undefined> {
    const { rows: [row] } = await db.query<RefreshTokenRow>(
      `SELECT id, family_id, user_id::text, expires_at < now() AS expired, used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked,
              extract(epoch FROM now() - used_at)::float8 AS used_seconds_ago, replaced_by
         FROM refresh_tokens WHERE ${condition} FOR UPDATE`,
      [value],
    )
    return row
  }
  return {
    /** Stores a new token of `familyId`; returns its id and the secret to hand to the client (once). */
    async issue(userId: string, familyId: string, ttlDays: number): Promise<{ id: string; token: string }> {
      const token = randomBytes(32).toString('base64url')
      const id = randomUUID()
      await db.query(
        `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
        [id, familyId, userId, digest(token), ttlDays],
      )
      return { id, token }
    },
    /** Finds a token and locks its row, so two refreshes with one token cannot both succeed. */
    lock: (token: string) => lockWhere('token_hash = $1', digest(token)),
    /** The same, by id: the successor a retried refresh replaces. */
    lockById: (id: string) => lockWhere('id = $1', id),
    /**
     * Spends a token: `successorId` is what was issued in its place, null to retire it unused (a
     * retired token presented later is a replay). A token spent before keeps its first time.
     */
    async markUsed(id: string, successorId: string | null) {
      await db.query('UPDATE refresh_tokens SET used_at = COALESCE(used_at, now()), replaced_by = $2 WHERE id = $1', [id, successorId])
    },
    /** Revokes every token of the family; false when it was revoked already. */
    async revokeFamily(familyId: string): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId])
      return (rowCount ?? 0) > 0
    },
  }
}
export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>
