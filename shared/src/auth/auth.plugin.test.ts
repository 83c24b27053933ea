import { generateKeyPairSync } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../errors/app-error.ts'
import { createTokenVerifier, verifyAccessToken } from './auth.plugin.ts'
import type { RevocationList } from './revocation-list.ts'

const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
const { publicKey, privateKey } = keys()
const options = { publicKey, issuer: 'starling-user-service', audience: 'starling-api', maxTtlSeconds: 900 }
const SESSION = '6f1c2a1e-8d1b-4a43-9a53-2f0e7d1c9b10'
/** Signs like the user service; an override of undefined leaves that claim out. */
const sign = (claims: object = { username: 'ada', sid: SESSION }, overrides: Record<string, unknown> = {}, key: string = privateKey) => {
  const signOptions = { algorithm: 'ES256', subject: '123', issuer: options.issuer, audience: options.audience, expiresIn: 60, ...overrides }
  const defined = Object.fromEntries(Object.entries(signOptions).filter(([, value]) => value !== undefined))
  return jwt.sign(claims, key, defined as jwt.SignOptions)
}

function rejection(token: string) {
  try {
    verifyAccessToken(token, options)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return { status: (error as AppError).status, code: (error as AppError).code }
  }
  throw new Error('the token was accepted')
}

describe('verifyAccessToken', () => {
  it('accepts a token the user service signed and returns who it is for', () => {
    expect(verifyAccessToken(sign(), options)).toEqual({ id: '123', username: 'ada', sessionId: SESSION })
  })

  it('accepts a key whose newlines came through an env var as \\n', () => {
    expect(verifyAccessToken(sign(), { ...options, publicKey: publicKey.replaceAll('\n', '\\n') }).id).toBe('123')
  })

  it('rejects a token of a revoked login as AUTH_TOKEN_REVOKED, and lets other logins through', () => {
    const revocations: Pick<RevocationList, 'isRevoked'> = { isRevoked: (sid) => sid === SESSION }
    expect(() => verifyAccessToken(sign(), { ...options, revocations })).toThrow(expect.objectContaining({ status: 401, code: 'AUTH_TOKEN_REVOKED' }))
    expect(verifyAccessToken(sign({ username: 'ada', sid: 'another-login' }), { ...options, revocations }).sessionId).toBe('another-login')
  })

  it('rejects an expired token as AUTH_TOKEN_EXPIRED', () => {
    expect(rejection(sign({ username: 'ada', sid: SESSION, exp: Math.floor(Date.now() / 1000) - 10 }, { expiresIn: undefined }))).toEqual({ status: 401, code: 'AUTH_TOKEN_EXPIRED' })
  })

  it.each([
    ['signed with another key', () => sign({ username: 'ada', sid: SESSION }, {}, keys().privateKey)],
    ['for another audience', () => sign({ username: 'ada', sid: SESSION }, { audience: 'someone-else' })],
    ['from another issuer', () => sign({ username: 'ada', sid: SESSION }, { issuer: 'evil' })],
    ['with alg none', () => jwt.sign({ username: 'ada', sid: SESSION }, '', { algorithm: 'none', subject: '123', issuer: options.issuer, audience: options.audience })],
    ['HS256 with the public key as the secret', () => {
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
      const body = Buffer.from(JSON.stringify({ sub: '123', username: 'ada', iss: options.issuer, aud: options.audience, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url')
      return `${header}.${body}.${Buffer.from('sig').toString('base64url')}`
    }],
    ['without a subject', () => sign({ username: 'ada', sid: SESSION }, { subject: undefined })],
    ['with a subject that is not an id', () => sign({ username: 'ada', sid: SESSION }, { subject: 'admin' })],
    ['without a username', () => sign({ sid: SESSION })],
    ['without a session (sid)', () => sign({ username: 'ada' })],
    ['without exp', () => sign({ username: 'ada', sid: SESSION }, { expiresIn: undefined })],
    ['living longer than any the user service signs', () => sign({ username: 'ada', sid: SESSION }, { expiresIn: 901 })],
    ['expiring in a hundred years', () => sign({ username: 'ada', sid: SESSION }, { expiresIn: '100y' })],
    ['without iat', () => sign({ username: 'ada', sid: SESSION }, { noTimestamp: true })],
    ['issued in the future, to expire later than it may', () => sign({ username: 'ada', sid: SESSION, iat: Math.floor(Date.now() / 1000) + 3600 }, { expiresIn: 900 })],
    ['not valid yet (nbf ahead)', () => sign({ username: 'ada', sid: SESSION }, { notBefore: 600 })],
    ['that is not a JWT', () => 'hello'],
    ['whose payload was edited', () => {
      const [h, , s] = sign().split('.')
      return `${h}.${Buffer.from(JSON.stringify({ sub: '1', username: 'root', iss: options.issuer, aud: options.audience, exp: 9999999999 })).toString('base64url')}.${s}`
    }],
  ])('rejects a token %s as AUTH_TOKEN_INVALID', (_case, make) => {
    expect(rejection(make())).toEqual({ status: 401, code: 'AUTH_TOKEN_INVALID' })
  })
})

describe('createTokenVerifier', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })
  const counting = () => vi.spyOn(jwt, 'verify')

  it('checks a token\'s signature once, and answers the same user after', () => {
    const checks = counting()
    const verify = createTokenVerifier(options)
    const token = sign()
    for (let i = 0; i < 3; i++) expect(verify(token)).toEqual({ id: '123', username: 'ada', sessionId: SESSION })
    expect(checks).toHaveBeenCalledTimes(1)
  })

  it('refuses a remembered token as soon as its login is revoked', () => {
    const revoked = new Set<string>()
    const verify = createTokenVerifier({ ...options, revocations: { isRevoked: (sid) => revoked.has(sid) } })
    const token = sign()
    expect(verify(token).sessionId).toBe(SESSION)
    revoked.add(SESSION)
    expect(() => verify(token)).toThrow(expect.objectContaining({ status: 401, code: 'AUTH_TOKEN_REVOKED' }))
  })

  it('refuses a remembered token once it has expired', () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] })
    const verify = createTokenVerifier(options)
    const token = sign(undefined, { expiresIn: 60 })
    expect(verify(token).id).toBe('123')
    vi.setSystemTime(Date.now() + 61_000)
    expect(() => verify(token)).toThrow(expect.objectContaining({ status: 401, code: 'AUTH_TOKEN_EXPIRED' }))
  })

  it('remembers no token that failed, so each made-up one is checked and refused again', () => {
    const checks = counting()
    const verify = createTokenVerifier(options)
    const forged = sign(undefined, {}, keys().privateKey)
    for (let i = 0; i < 3; i++) expect(() => verify(forged)).toThrow(expect.objectContaining({ code: 'AUTH_TOKEN_INVALID' }))
    expect(checks).toHaveBeenCalledTimes(3)
  })

  it('holds at most its size, forgetting the least recently used token first', () => {
    const checks = counting()
    const verify = createTokenVerifier(options, 2)
    const [a, b, c] = ['a', 'b', 'c'].map((sid) => sign({ username: 'ada', sid }))
    verify(a!)
    verify(b!)
    verify(a!)
    verify(c!)
    expect(checks).toHaveBeenCalledTimes(3)
    verify(a!)
    expect(checks).toHaveBeenCalledTimes(3)
    verify(b!)
    expect(checks).toHaveBeenCalledTimes(4)
  })
})
