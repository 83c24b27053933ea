import { randomBytes, randomUUID } from 'node:crypto'
import type { RefreshTokenRepository } from './refresh-token.repository.ts'

/**
 * refresh_tokens in memory, for unit tests of the rules. `now` is the clock expiry is judged by;
 * a test moves it on to let tokens expire.
 */
export function createMemoryRefreshTokenRepository(now: () => number = Date.now): RefreshTokenRepository {
  interface Stored { id: string; family_id: string; user_id: string; expires_at: number; used_at: number | null; replaced_by: string | null; revoked: boolean }
  const tokens = new Map<string, Stored>()
  const view = (row: Stored | undefined) => row && {
    id: row.id, family_id: row.family_id, user_id: row.user_id, expired: row.expires_at < now(), used: row.used_at !== null, revoked: row.revoked,
    used_seconds_ago: row.used_at === null ? null : (now() - row.used_at) / 1000, replaced_by: row.replaced_by,
  }
  return {
    async issue(userId, familyId, ttlDays) {
      const token = randomBytes(32).toString('base64url')
      const id = randomUUID()
      tokens.set(token, { id, family_id: familyId, user_id: userId, expires_at: now() + ttlDays * 86_400_000, used_at: null, replaced_by: null, revoked: false })
      return { id, token }
    },
    async lock(token) {
      return view(tokens.get(token))
    },
    async lockById(id) {
      return view([...tokens.values()].find((row) => row.id === id))
    },
    async markUsed(id, successorId) {
      for (const row of tokens.values()) {
        if (row.id !== id) continue
        row.used_at ??= now()
        row.replaced_by = successorId
      }
    },
    async revokeFamily(familyId) {
      const family = [...tokens.values()].filter((row) => row.family_id === familyId && !row.revoked)
      for (const row of family) row.revoked = true
      return family.length > 0
    },
  }
}
