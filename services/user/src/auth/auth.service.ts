import { randomUUID } from 'node:crypto'
import { createEvent } from '@starling/shared/events'
import type { EventSink, UnitOfWork } from '@starling/shared/outbox'
import { isStorableText } from '@starling/shared/schemas'
import { errors } from '../errors.ts'
import type { UserRepository } from '../users/user.repository.ts'
import type { PasswordHasher } from './password-hasher.ts'
import type { RefreshTokenRepository, RefreshTokenRow } from './refresh-token.repository.ts'
import type { TokenIssuer } from './token-issuer.ts'
import type { Credentials, Session } from './auth.schemas.ts'

const badCredentials = () => errors.AUTH_BAD_CREDENTIALS('The username or the password is wrong.')
const badRefresh = () => errors.AUTH_REFRESH_INVALID('The refresh token is not valid; sign in again.')

/**
 * Sign-in, refresh and sign-out. A login is a family of refresh tokens; ending one (a sign-out, a
 * spent token presented again) publishes login.revoked in the same unit of work.
 */
export function createAuthService(deps: {
  uow: UnitOfWork<{ refreshTokens: RefreshTokenRepository }>
  users: Pick<UserRepository, 'findById' | 'findCredentials'>
  passwords: Pick<PasswordHasher, 'verify' | 'verifyDecoy'>
  issuer: TokenIssuer
  refreshTtlDays: number
  /** How long a spent refresh token may be presented again while its successor is unused (a lost response). */
  reuseGraceSeconds: number
}) {
  const { uow, users, passwords, issuer, refreshTtlDays, reuseGraceSeconds } = deps

  async function session(userId: string, familyId: string, refreshToken: string): Promise<Session> {
    const user = await users.findById(userId)
    if (!user) throw badRefresh()
    return { access_token: issuer.sign(user, familyId), token_type: 'Bearer', expires_in: issuer.ttlSeconds, refresh_token: refreshToken, user }
  }

  /**
   * Ends a login: its refresh tokens stop working at once, and login.revoked (committed with it)
   * tells every service to refuse its access tokens too, until the last of them has expired.
   */
  async function revoke(refreshTokens: RefreshTokenRepository, events: EventSink, row: RefreshTokenRow, reason: 'logout' | 'refresh_reuse') {
    if (!(await refreshTokens.revokeFamily(row.family_id))) return
    const now = new Date()
    events.publish(createEvent('login.revoked', 1, row.user_id, {
      user_id: row.user_id, session_id: row.family_id, reason, revoked_at: now.toISOString(),
      tokens_valid_until: new Date(now.getTime() + issuer.ttlSeconds * 1000).toISOString(),
    }))
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
      const { token } = await uow.run(({ refreshTokens }) => refreshTokens.issue(found.id, familyId, refreshTtlDays))
      return session(found.id, familyId, token)
    },

    /**
     * Rotates: the presented token is spent and the next one of its family returned. A spent token
     * presented again was stolen or replayed, so the whole family (that login) is revoked; that
     * revocation commits although the caller gets a 401.
     *
     * Except a retry: a client whose response was lost (a page reloaded mid-refresh) presents the
     * spent token again, its successor never seen. Within reuseGraceSeconds of the spending, while
     * that successor is unused, it is retired and another issued, as Auth0's reuse interval and
     * Okta's grace period do. A thief gains nothing lasting: the retired successor, presented by
     * whoever holds it, is a replay and ends the login.
     */
    async refresh(presented: string): Promise<Session> {
      const next = await uow.run(async ({ refreshTokens }, events) => {
        const row = await refreshTokens.lock(presented)
        if (!row || row.revoked || row.expired) return undefined
        if (row.used) {
          const successor = row.replaced_by === null ? undefined : await refreshTokens.lockById(row.replaced_by)
          const retry = (row.used_seconds_ago ?? Infinity) <= reuseGraceSeconds && successor && !successor.used && !successor.revoked
          if (!retry) {
            await revoke(refreshTokens, events, row, 'refresh_reuse')
            return undefined
          }
          await refreshTokens.markUsed(successor.id, null)
        }
        const issued = await refreshTokens.issue(row.user_id, row.family_id, refreshTtlDays)
        await refreshTokens.markUsed(row.id, issued.id)
        return { userId: row.user_id, familyId: row.family_id, token: issued.token }
      })
      if (!next) throw badRefresh()
      return session(next.userId, next.familyId, next.token)
    },

    /** Revokes the login the token belongs to; unknown tokens are ignored (nothing to reveal). */
    async logout(presented: string) {
      await uow.run(async ({ refreshTokens }, events) => {
        const row = await refreshTokens.lock(presented)
        if (row) await revoke(refreshTokens, events, row, 'logout')
      })
    },
  }
}
export type AuthService = ReturnType<typeof createAuthService>
