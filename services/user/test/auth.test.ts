import { randomUUID } from 'node:crypto'
import { generateKeyPairSync } from 'node:crypto'
import jwt from 'jsonwebtoken'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { mintToken, newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { user } from './fixtures/service.ts'

const login = (username: string, password: string) => user.request('/users/login', { body: { username, password } })
const refresh = (token: string) => user.request('/users/refresh', { body: { refresh_token: token } })
const me = (token: string) => user.request('/users/me', { token })

describe('POST /users/login', () => {
  it('signs in with the username and returns a working token pair', async () => {
    const account = await newAccount()
    const response = await login(account.username, account.password)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, refresh_token: expect.any(String),
      user: expect.objectContaining({ id: account.id, username: account.username }),
    })
    expect(response.body.user).not.toHaveProperty('email')
    const claims = jwt.decode(response.body.access_token, { complete: true })!
    expect(claims.header.alg).toBe('ES256')
    expect(claims.payload).toMatchObject({ sub: account.id, username: account.username, iss: 'starling-user-service', aud: 'starling-api' })
    expect((await me(response.body.access_token)).body.id).toBe(account.id)
  })

  it('signs in with the email, in any case', async () => {
    const account = await newAccount()
    expect((await login(account.email.toUpperCase(), account.password)).status).toBe(200)
    expect((await login(account.username.toUpperCase(), account.password)).status).toBe(200)
  })

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const account = await newAccount()
    const wrongPassword = await login(account.username, 'not the password')
    const unknownUser = await login(`nobody_${account.username}`, account.password)
    expect(wrongPassword.status).toBe(401)
    expect(unknownUser.status).toBe(401)
    const { request_id: _a, ...first } = wrongPassword.body
    const { request_id: _b, ...second } = unknownUser.body
    expect(first).toEqual(second)
    expect(first.code).toBe('AUTH_BAD_CREDENTIALS')
  })

  it('answers a username no account could have (a NUL, a lone surrogate) with the same 401', async () => {
    const account = await newAccount()
    for (const username of [`${account.username}\u0000`, '\u0000', `${account.username}\ud800`]) {
      const response = await login(username, account.password)
      expect(response.status).toBe(401)
      expect(response.body.code).toBe('AUTH_BAD_CREDENTIALS')
    }
  })

  it('rejects a body with missing or extra fields', async () => {
    expect((await user.request('/users/login', { body: { username: 'ada' } })).status).toBe(400)
    expect((await user.request('/users/login', { body: { username: 'ada', password: 'x', admin: true } })).status).toBe(400)
  })
})

describe('POST /users/refresh', () => {
  it('returns a new pair and spends the old refresh token', async () => {
    const account = await newAccount()
    const first = (await login(account.username, account.password)).body
    const second = await refresh(first.refresh_token)
    expect(second.status).toBe(200)
    expect(second.body.refresh_token).not.toBe(first.refresh_token)
    expect((await me(second.body.access_token)).status).toBe(200)
    const third = await refresh(second.body.refresh_token)
    expect(third.status).toBe(200)
  })

  it('revokes the whole login when a spent refresh token comes back after the pair it bought was used', async () => {
    const account = await newAccount()
    const stolen = (await login(account.username, account.password)).body.refresh_token
    const rotated = (await refresh(stolen)).body.refresh_token
    const newest = (await refresh(rotated)).body.refresh_token
    const replay = await refresh(stolen)
    expect(replay.status).toBe(401)
    expect(replay.body.code).toBe('AUTH_REFRESH_INVALID')
    // The legitimate holder's newer token dies with the family.
    expect((await refresh(newest)).status).toBe(401)
  })

  it('leaves other logins of the same user alone when one family is revoked', async () => {
    const account = await newAccount()
    const laptop = (await login(account.username, account.password)).body.refresh_token
    const phone = (await login(account.username, account.password)).body.refresh_token
    await refresh(laptop)
    await refresh(laptop)
    expect((await refresh(phone)).status).toBe(200)
  })

  it('leaves at most one live token from two simultaneous refreshes with the same one (the second is taken as a retry)', async () => {
    const account = await newAccount()
    const token = (await login(account.username, account.password)).body.refresh_token
    const results = await Promise.all([refresh(token), refresh(token)])
    expect(results.map((r) => r.status)).toEqual([200, 200])
    const [a, b] = results.map((r) => r.body.refresh_token as string)
    expect(a).not.toBe(b)
    // One of the two was retired as it was issued: presenting it ends the login, so whichever
    // order they come in, the second is refused.
    const statuses = [(await refresh(a!)).status, (await refresh(b!)).status]
    expect(statuses[1]).toBe(401)
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1)
  })

  it('rejects an unknown or expired refresh token', async () => {
    expect((await refresh('made-up-token')).status).toBe(401)
    const account = await newAccount()
    const token = (await login(account.username, account.password)).body.refresh_token
    const db = new pg.Client({ connectionString: testEnv.databaseUrl('starling_user') })
    await db.connect()
    await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [account.id])
    await db.end()
    expect((await refresh(token)).status).toBe(401)
  })
})

describe('POST /users/logout', () => {
  it('revokes the refresh token and answers 204, also for a token it does not know', async () => {
    const account = await newAccount()
    const session = (await login(account.username, account.password)).body
    expect((await user.request('/users/logout', { body: { refresh_token: session.refresh_token } })).status).toBe(204)
    expect((await refresh(session.refresh_token)).status).toBe(401)
    expect((await user.request('/users/logout', { body: { refresh_token: 'never-issued' } })).status).toBe(204)
  })
})

describe('access tokens', () => {
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey

  it.each([
    ['no token', () => ({}), 'AUTH_REQUIRED'],
    ['a Basic header', () => ({ authorization: 'Basic YWRhOnB3' }), 'AUTH_TOKEN_INVALID'],
    ['an expired token', (u: { id: string; username: string }) => ({ authorization: `Bearer ${mintToken(u, { expiresIn: -10 })}` }), 'AUTH_TOKEN_EXPIRED'],
    ['a token for another audience', (u: { id: string; username: string }) => ({ authorization: `Bearer ${mintToken(u, { audience: 'other-api' })}` }), 'AUTH_TOKEN_INVALID'],
    ['a token signed with another key', (u: { id: string; username: string }) => ({
      authorization: `Bearer ${jwt.sign({ username: u.username, sid: randomUUID() }, otherKey, { algorithm: 'ES256', subject: u.id, issuer: 'starling-user-service', audience: 'starling-api', expiresIn: 60 })}`,
    }), 'AUTH_TOKEN_INVALID'],
    ['an alg:none token', (u: { id: string; username: string }) => ({
      authorization: `Bearer ${jwt.sign({ username: u.username, sid: randomUUID() }, '', { algorithm: 'none', subject: u.id, issuer: 'starling-user-service', audience: 'starling-api' })}`,
    }), 'AUTH_TOKEN_INVALID'],
  ])('answers %s with 401 problem+json', async (_case, headers, code) => {
    const account = await newAccount()
    const response = await user.request('/users/me', { headers: headers(account) })
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
    expect(response.body.code).toBe(code)
  })
})
