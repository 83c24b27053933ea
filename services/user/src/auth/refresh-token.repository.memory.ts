import { randomBytes, randomUUID } from 'node:crypto'
import type { RefreshTokenRepository } from './refresh-token.repository.ts'

/**
 * refresh_tokens in memory, for unit tests of the rules. `now` is the clock expiry is judged by;
 * a test moves it on to let tokens expire.
 */
export function createMemoryRefreshTokenRepository(now: () => number = Date.now): RefreshTokenRepository {
  const tokens = new Map<string, { id: string; family_id: string; user_id: string; expires_at: number; used: boolean; revoked: boolean }>()
  return {
    async issue(userId, familyId, ttlDays) {
      const token = randomBytes(32).toString('base64url')
      tokens.set(token, { id: randomUUID(), family_id: familyId, user_id: userId, expires_at: now() + ttlDays * 86_400_000, used: false, revoked: false })
      return token
    },
    async lock(token) {
      const row = tokens.get(token)
      return row && { id: row.id, family_id: row.family_id, user_id: row.user_id, expired: row.expires_at < now(), used: row.used, revoked: row.revoked }
    },
    async markUsed(id) {
      for (const row of tokens.values()) if (row.id === id) row.used = true
    },
    async revokeFamily(familyId) {
      const family = [...tokens.values()].filter((row) => row.family_id === familyId && !row.revoked)
      for (const row of family) row.revoked = true
      return family.length > 0
    },
  }
}
