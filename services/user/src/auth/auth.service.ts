import { randomUUID } from 'node:crypto'
import { withTransaction } from '@starling/shared/db'
import { unauthorized } from '@starling/shared/errors'
import { createEvent } from '@starling/shared/events'
import { enqueueEvents } from '@starling/shared/outbox'
import { isStorableText } from '@starling/shared/schemas'
import type { Pool, PoolClient } from 'pg'
import type { UserRepository } from '../users/user.repository.ts'
import type { PasswordHasher } from './password-hasher.ts'
import type { RefreshTokenRepository } from './refresh-token.repository.ts'
import type { TokenIssuer } from './token-issuer.ts'
import type { Credentials, Session } from './auth.schemas.ts'

const badCredentials = () => unauthorized('AUTH_BAD_CREDENTIALS', 'The username or the password is wrong.')
const badRefresh = () => unauthorized('AUTH_REFRESH_INVALID', 'The refresh token is not valid; sign in again.')

export function createAuthService(deps: {
  pool: Pool
  users: UserRepository
  refreshTokens: RefreshTokenRepository
  passwords: PasswordHasher
  issuer: TokenIssuer
  refreshTtlDays: number
}) {
  const { pool, users, refreshTokens, passwords, issuer, refreshTtlDays } = deps

  async function session(userId: string, familyId: string, refreshToken: string): Promise<Session> {
    const user = await users.findById(userId)
    if (!user) throw badRefresh()
    return { access_token: issuer.sign(user, familyId), token_type: 'Bearer', expires_in: issuer.ttlSeconds, refresh_token: refreshToken, user }
  }

  /**
   * Ends a login: its refresh tokens stop working at once, and login.revoked (in the same
   * transaction) tells every service to refuse its access tokens too.
   */
  async function revoke(tx: PoolClient, row: { family_id: string; user_id: string }, reason: 'logout' | 'refresh_reuse') {
    if (!(await refreshTokens.revokeFamily(tx, row.family_id))) return
    const now = new Date()
    await enqueueEvents(tx, [createEvent('login.revoked', 1, row.user_id, {
      user_id: row.user_id, session_id: row.family_id, reason, revoked_at: now.toISOString(),
      tokens_valid_until: new Date(now.getTime() + issuer.ttlSeconds * 1000).toISOString(),
    })])
  }

  return {
    /** One 401 for an unknown user and a wrong password, after the same amount of hashing. */
    async login(credentials: Credentials): Promise<Session> {
      // A name no account could have (a NUL in it) is just one more unknown name.
      const found = isStorableText(credentials.username) ? await users.findCredentials(credentials.username) : undefined
      const valid = found
        ? await passwords.verify(found.password_hash, credentials.password)
        : await passwords.verifyDecoy(credentials.password)
      if (!found || !valid) throw badCredentials()
      const familyId = randomUUID()
      const token = await withTransaction(pool, (tx) => refreshTokens.issue(tx, found.id, familyId, refreshTtlDays))
      return session(found.id, familyId, token)
    },

    /**
     * Rotates: the presented token is spent and the next one of its family returned. A spent token
     * presented again was stolen or replayed, so the whole family (that login) is revoked.
     */
    async refresh(presented: string): Promise<Session> {
      const outcome = await withTransaction(pool, async (tx) => {
        const row = await refreshTokens.lock(tx, presented)
        if (!row || row.revoked || row.expired) return { ok: false as const }
        if (row.used) {
          await revoke(tx, row, 'refresh_reuse')
          return { ok: false as const }
        }
        await refreshTokens.markUsed(tx, row.id)
        return { ok: true as const, userId: row.user_id, familyId: row.family_id, token: await refreshTokens.issue(tx, row.user_id, row.family_id, refreshTtlDays) }
      })
      if (!outcome.ok) throw badRefresh()
      return session(outcome.userId, outcome.familyId, outcome.token)
    },

    /** Revokes the login the token belongs to; unknown tokens are ignored (nothing to reveal). */
    async logout(presented: string) {
      await withTransaction(pool, async (tx) => {
        const row = await refreshTokens.lock(tx, presented)
        if (row) await revoke(tx, row, 'logout')
      })
    },
  }
}
export type AuthService = ReturnType<typeof createAuthService>
