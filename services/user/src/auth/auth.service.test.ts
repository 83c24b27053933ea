import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it, vi } from 'vitest'
import { createMemoryUserRepository } from '../users/user.repository.memory.ts'
import { createAuthService } from './auth.service.ts'
import { createMemoryRefreshTokenRepository } from './refresh-token.repository.memory.ts'

const DAY = 86_400_000
const TTL_SECONDS = 900
const GRACE_SECONDS = 30

async function setup() {
  let now = Date.parse('2026-01-01T00:00:00Z')
  const users = createMemoryUserRepository()
  const refreshTokens = createMemoryRefreshTokenRepository(() => now)
  const uow = createMemoryUnitOfWork({ refreshTokens })
  // A stand-in for argon2: what matters here is which of the two was spent.
  const passwords = {
    verify: vi.fn(async (hash: string, password: string) => hash === `hashed:${password}`),
    verifyDecoy: vi.fn(async () => false),
  }
  // The access token names the user and the login (sid) it belongs to.
  const issuer = { ttlSeconds: TTL_SECONDS, sign: (user: { id: string }, sessionId: string) => `${user.id}/${sessionId}` }
  const auth = createAuthService({ uow, users, passwords, issuer, refreshTtlDays: 30, reuseGraceSeconds: GRACE_SECONDS })
  const ada = await users.insert({ username: 'Ada', email: 'ada@example.com', passwordHash: 'hashed:right', displayName: 'Ada' })
  if ('taken' in ada) throw new Error('the first account cannot be taken')
  return { auth, passwords, events: uow.published, ada, later: (ms: number) => { now += ms } }
}
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)
const sessionOf = (accessToken: string) => accessToken.split('/')[1]

describe('login', () => {
  it('verifies against a decoy hash when the user does not exist, so both failures cost one hash', async () => {
    const { auth, passwords } = await setup()
    const error = await auth.login({ username: 'nobody', password: 'right' }).catch((e: unknown) => e)
    expect(passwords.verifyDecoy).toHaveBeenCalledTimes(1)
    expect(passwords.verify).not.toHaveBeenCalled()
    expect(error).toMatchObject({ status: 401, code: 'AUTH_BAD_CREDENTIALS' })
  })

  it('gives the same error for a wrong password', async () => {
    const { auth, passwords } = await setup()
    const error = await auth.login({ username: 'ada', password: 'wrong' }).catch((e: unknown) => e)
    expect(passwords.verify).toHaveBeenCalledTimes(1)
    expect(passwords.verifyDecoy).not.toHaveBeenCalled()
    expect(error).toMatchObject({ status: 401, code: 'AUTH_BAD_CREDENTIALS', detail: 'The username or the password is wrong.' })
  })

  it('treats a username no account could have (a NUL in it) as one more unknown name', async () => {
    const { auth, passwords } = await setup()
    expect(await code(auth.login({ username: 'ada\u0000', password: 'right' }))).toBe('AUTH_BAD_CREDENTIALS')
    expect(passwords.verifyDecoy).toHaveBeenCalledTimes(1)
  })

  it('signs in by username or email in any case, each time a new login with the public profile', async () => {
    const { auth, ada, events } = await setup()
    const first = await auth.login({ username: 'ADA', password: 'right' })
    const second = await auth.login({ username: 'Ada@Example.com', password: 'right' })
    expect(first).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: TTL_SECONDS, refresh_token: expect.any(String), user: ada })
    expect(first.user).not.toHaveProperty('email')
    expect(sessionOf(first.access_token)).not.toBe(sessionOf(second.access_token))
    expect(events).toEqual([])
  })
})

describe('refresh', () => {
  it('rotates: a new pair of the same login, and the old refresh token spent', async () => {
    const { auth } = await setup()
    const first = await auth.login({ username: 'ada', password: 'right' })
    const second = await auth.refresh(first.refresh_token)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(sessionOf(second.access_token)).toBe(sessionOf(first.access_token))
    expect((await auth.refresh(second.refresh_token)).user.username).toBe('Ada')
  })

  it('revokes the whole login when a spent token comes back after the grace period, publishes login.revoked once, and leaves other logins alone', async () => {
    const { auth, ada, events, later } = await setup()
    const stolen = await auth.login({ username: 'ada', password: 'right' })
    const phone = await auth.login({ username: 'ada', password: 'right' })
    const rotated = await auth.refresh(stolen.refresh_token)
    later(GRACE_SECONDS * 1000 + 1)

    expect(await code(auth.refresh(stolen.refresh_token))).toBe('AUTH_REFRESH_INVALID')
    // The legitimate holder's newer token dies with the family, and the replay again revokes nothing new.
    expect(await code(auth.refresh(rotated.refresh_token))).toBe('AUTH_REFRESH_INVALID')
    expect(await code(auth.refresh(stolen.refresh_token))).toBe('AUTH_REFRESH_INVALID')
    expect(events).toEqual([expect.objectContaining({
      type: 'login.revoked', key: ada.id,
      payload: { user_id: ada.id, session_id: sessionOf(stolen.access_token), reason: 'refresh_reuse', revoked_at: expect.any(String), tokens_valid_until: expect.any(String) },
    })])
    const { revoked_at, tokens_valid_until } = events[0]!.payload as { revoked_at: string; tokens_valid_until: string }
    // Revoked until the last access token of the login has expired.
    expect(Date.parse(tokens_valid_until) - Date.parse(revoked_at)).toBe(TTL_SECONDS * 1000)
    expect((await auth.refresh(phone.refresh_token)).user.id).toBe(ada.id)
  })

  it('takes a spent token again within the grace period while its successor is unused (a lost response): a new pair, the unseen one retired', async () => {
    const { auth, events, later } = await setup()
    const first = await auth.login({ username: 'ada', password: 'right' })
    const lost = await auth.refresh(first.refresh_token)
    later(GRACE_SECONDS * 1000 - 1000)
    const retried = await auth.refresh(first.refresh_token)
    expect(sessionOf(retried.access_token)).toBe(sessionOf(first.access_token))
    expect(retried.refresh_token).not.toBe(lost.refresh_token)
    expect(events).toEqual([])
    // The retried pair goes on rotating; the response that never arrived, if it turns up, is a replay.
    const next = await auth.refresh(retried.refresh_token)
    expect(await code(auth.refresh(lost.refresh_token))).toBe('AUTH_REFRESH_INVALID')
    expect(events.map((event) => (event.payload as { reason: string }).reason)).toEqual(['refresh_reuse'])
    expect(await code(auth.refresh(next.refresh_token))).toBe('AUTH_REFRESH_INVALID')
  })

  it('treats a spent token as a replay, within the grace period too, once its successor has been used', async () => {
    const { auth, events } = await setup()
    const first = await auth.login({ username: 'ada', password: 'right' })
    const second = await auth.refresh(first.refresh_token)
    const third = await auth.refresh(second.refresh_token)
    expect(await code(auth.refresh(first.refresh_token))).toBe('AUTH_REFRESH_INVALID')
    expect(events.map((event) => event.type)).toEqual(['login.revoked'])
    expect(await code(auth.refresh(third.refresh_token))).toBe('AUTH_REFRESH_INVALID')
  })

  it('refuses an unknown or an expired token, and revokes nothing', async () => {
    const { auth, events, later } = await setup()
    expect(await code(auth.refresh('made-up-token'))).toBe('AUTH_REFRESH_INVALID')
    const session = await auth.login({ username: 'ada', password: 'right' })
    later(31 * DAY)
    expect(await code(auth.refresh(session.refresh_token))).toBe('AUTH_REFRESH_INVALID')
    expect(events).toEqual([])
  })
})

describe('logout', () => {
  it('ends the login with one login.revoked however often it is asked, and ignores a token it never gave out', async () => {
    const { auth, events } = await setup()
    const session = await auth.login({ username: 'ada', password: 'right' })
    await auth.logout(session.refresh_token)
    await auth.logout(session.refresh_token)
    await auth.logout('never-issued')
    expect(events.map((event) => [event.type, (event.payload as { reason: string }).reason])).toEqual([['login.revoked', 'logout']])
    expect(await code(auth.refresh(session.refresh_token))).toBe('AUTH_REFRESH_INVALID')
  })
})
