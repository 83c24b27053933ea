import { describe, expect, it, vi } from 'vitest'
import { AppError } from '@starling/shared/errors'
import type { Pool } from 'pg'
import type { UserRepository } from '../users/user.repository.ts'
import { createAuthService } from './auth.service.ts'
import type { PasswordHasher } from './password-hasher.ts'
import type { RefreshTokenRepository } from './refresh-token.repository.ts'
import type { TokenIssuer } from './token-issuer.ts'

function service(found: { id: string; password_hash: string } | undefined, passwordMatches: boolean) {
  const passwords = { verify: vi.fn(async () => passwordMatches), verifyDecoy: vi.fn(async () => false), hash: vi.fn() }
  const auth = createAuthService({
    pool: {} as Pool,
    users: { findCredentials: async () => found } as unknown as UserRepository,
    refreshTokens: {} as RefreshTokenRepository,
    passwords: passwords as unknown as PasswordHasher,
    issuer: {} as TokenIssuer,
    refreshTtlDays: 30,
  })
  return { auth, passwords }
}

async function loginError(auth: ReturnType<typeof service>['auth']) {
  try {
    await auth.login({ username: 'ada', password: 'pw' })
  } catch (error) {
    return error as AppError
  }
  throw new Error('login succeeded')
}

describe('login', () => {
  it('verifies against a decoy hash when the user does not exist, so both failures cost one hash', async () => {
    const { auth, passwords } = service(undefined, false)
    const error = await loginError(auth)
    expect(passwords.verifyDecoy).toHaveBeenCalledTimes(1)
    expect(passwords.verify).not.toHaveBeenCalled()
    expect([error.status, error.code]).toEqual([401, 'AUTH_BAD_CREDENTIALS'])
  })

  it('gives the same error for a wrong password', async () => {
    const { auth, passwords } = service({ id: '1', password_hash: 'h' }, false)
    const error = await loginError(auth)
    expect(passwords.verify).toHaveBeenCalledTimes(1)
    expect(passwords.verifyDecoy).not.toHaveBeenCalled()
    expect([error.status, error.code, error.detail]).toEqual([401, 'AUTH_BAD_CREDENTIALS', 'The username or the password is wrong.'])
  })
})
