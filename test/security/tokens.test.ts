import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { closeSockets, liveAs, openSocket } from '../../services/notification/test/fixtures/live.ts'
import { mintToken, newAccount, type Account } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'
import { tally } from './record.ts'

// Token attacks through the gateway, against a route of every service that takes a token. Each
// forged token is refused with 401 everywhere; a login that ends (signed out, refresh replayed)
// takes its access tokens and its open sockets with it, within seconds.

afterEach(() => closeSockets())
const forgeries = tally('forged and stale tokens on every service', () => `${ATTACKS.length} kinds × ${ROUTES(victim).length} services`)
const revokedAfter: number[] = []
const revocations = tally('logins ended: their tokens refused everywhere',
  () => `${revokedAfter.length} tokens of ended logins; refused by every service within ${(Math.max(...revokedAfter) / 1000).toFixed(1)} s at most`)

/** A route of each service that checks a token; `who` is the token's subject. */
const ROUTES = (who: { id: string }) => [
  { path: '/users/me' },
  { path: '/tweets/', method: 'POST', body: { text: 'only with a real token' } },
  { path: '/follow/', method: 'POST', body: { user_id: target.id } },
  { path: `/timelines/${who.id}` },
  { path: '/search/?q=hello' },
  { path: `/notifications/${who.id}` },
  { path: '/conversations' },
  { path: '/media', method: 'POST', body: { content_type: 'image/png', size: 100 } },
]

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)

let victim: Account
let target: Account
let publicPem = ''
const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' })
beforeAll(async () => {
  ;[victim, target] = await Promise.all([newAccount('victim'), newAccount('target')])
  publicPem = createPublicKey(testEnv.jwtPrivateKey.replaceAll('\\n', '\n')).export({ type: 'spki', format: 'pem' }).toString()
})

const claims = () => ({ sub: victim.id, username: victim.username, sid: randomUUID(), iss: 'starling-user-service', aud: 'starling-api', iat: now(), exp: now() + 600 })
const signedBy = (key: jwt.Secret, payload: object, header: object = {}) => jwt.sign(payload, key, { algorithm: 'ES256', header: { alg: 'ES256', ...header } as jwt.JwtHeader })

const ATTACKS: [string, () => string][] = [
  ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
  ['HS256 keyed with the public key', () => {
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`
    return `${unsigned}.${createHmac('sha256', publicPem).update(unsigned).digest('base64url')}`
  }],
  ['signed with a foreign key', () => signedBy(attacker.privateKey, claims())],
  ['a foreign key embedded as jwk', () => signedBy(attacker.privateKey, claims(), { jwk: attacker.publicKey.export({ format: 'jwk' }) })],
  ['a foreign key set named by jku', () => signedBy(attacker.privateKey, claims(), { jku: 'https://attacker.example/jwks.json', kid: 'evil' })],
  ['for another audience', () => mintToken(victim, { audience: 'another-api' })],
  ['from another issuer', () => mintToken(victim, { issuer: 'someone-else' })],
  ['expired', () => mintToken(victim, { expiresIn: -10 })],
  ['without exp', () => {
    const { exp: _never, ...forever } = claims()
    return jwt.sign(forever, testEnv.jwtPrivateKey.replaceAll('\\n', '\n'), { algorithm: 'ES256' })
  }],
  ['expiring in a hundred years', () => mintToken(victim, { expiresIn: '100y' })],
  ['issued in the future', () => jwt.sign({ ...claims(), iat: now() + 3600, exp: now() + 4200 }, testEnv.jwtPrivateKey.replaceAll('\\n', '\n'), { algorithm: 'ES256' })],
  ['not valid before an hour from now', () => mintToken(victim, { notBefore: 3600 })],
  ['with the subject edited after signing', () => {
    const [header, , signature] = mintToken(victim).split('.')
    return `${header}.${b64({ ...claims(), sub: '1' })}.${signature}`
  }],
  ['without a login (sid)', () => jwt.sign({ username: victim.username }, testEnv.jwtPrivateKey.replaceAll('\\n', '\n'), { algorithm: 'ES256', subject: victim.id, issuer: 'starling-user-service', audience: 'starling-api', expiresIn: 600 })],
]

describe('forged and stale tokens', () => {
  it('are valid tokens of the stack, to begin with', async () => {
    for (const route of ROUTES(victim)) expect((await gateway(route.path, { ...route, token: victim.token })).status, route.path).toBeLessThan(400)
  })

  it.each(ATTACKS)('refuses a token %s with 401 on every service', async (_attack, forge) => {
    const token = forge()
    for (const route of ROUTES(victim)) {
      const response = await gateway(route.path, { ...route, token })
      forgeries.requests++
      if (response.status !== 401) forgeries.failures++
      expect(response.status, `${route.path}: ${JSON.stringify(response.body)}`).toBe(401)
      expect(response.body.code).toMatch(/^AUTH_TOKEN_(INVALID|EXPIRED)$/)
    }
  })
})

async function signIn(account: Account) {
  const response = await gateway('/users/login', { body: { username: account.username, password: account.password } })
  expect(response.status).toBe(200)
  return response.body as { access_token: string; refresh_token: string }
}

/** Waits until every service refuses `token` as revoked. */
async function untilRefusedEverywhere(token: string, who: Account) {
  const started = Date.now()
  try {
    await waitFor(async () => {
      for (const route of ROUTES(who)) {
        const response = await gateway(route.path, { ...route, token })
        revocations.requests++
        if (response.status !== 401 || response.body.code !== 'AUTH_TOKEN_REVOKED') return false
      }
      return true
    }, { timeoutMs: 10_000, intervalMs: 250, what: 'every service to refuse the revoked login' })
    revokedAfter.push(Date.now() - started)
  } catch (error) {
    revocations.failures++
    throw error
  }
}

describe('logins that end', () => {
  it('take their access tokens with them on every service after a sign-out, and leave other logins alone', async () => {
    const account = await newAccount('leaver')
    const [ending, other] = [await signIn(account), await signIn(account)]
    expect((await gateway('/users/me', { token: ending.access_token })).status).toBe(200)
    expect((await gateway('/users/logout', { body: { refresh_token: ending.refresh_token } })).status).toBe(204)
    await untilRefusedEverywhere(ending.access_token, account)
    for (const route of ROUTES(account)) expect((await gateway(route.path, { ...route, token: other.access_token })).status, route.path).toBeLessThan(400)
  })

  it('take every access token of the login when a spent refresh token comes back after its successor was used', async () => {
    const account = await newAccount('replayed')
    const first = await signIn(account)
    const refresh = (token: string) => gateway('/users/refresh', { body: { refresh_token: token } })
    const second = (await refresh(first.refresh_token)).body as { access_token: string; refresh_token: string }
    const third = (await refresh(second.refresh_token)).body as { access_token: string }
    expect((await refresh(first.refresh_token)).status).toBe(401)
    for (const token of [first.access_token, second.access_token, third.access_token]) await untilRefusedEverywhere(token, account)
  })

  it('survive a refresh whose answer was lost, and end when that lost answer\'s token turns up', async () => {
    const account = await newAccount('reloaded')
    const first = await signIn(account)
    const refresh = (token: string) => gateway('/users/refresh', { body: { refresh_token: token } })
    // The answer a reload threw away, then the same spent token again from the reloaded page.
    const lost = (await refresh(first.refresh_token)).body as { refresh_token: string }
    const retried = await refresh(first.refresh_token)
    expect(retried.status).toBe(200)
    const session = retried.body as { access_token: string; refresh_token: string }
    expect((await gateway('/users/me', { token: session.access_token })).status).toBe(200)
    // Whoever holds the token never delivered, presenting it ends the login for both.
    expect((await refresh(lost.refresh_token)).status).toBe(401)
    await untilRefusedEverywhere(session.access_token, account)
    expect((await refresh(session.refresh_token)).status).toBe(401)
  })

  it('close the open WebSockets of the login with 4001', async () => {
    const account = await newAccount('socket')
    const session = await signIn(account)
    const [ending, staying] = [await liveAs({ token: session.access_token }), await liveAs({ token: (await signIn(account)).access_token })]
    await gateway('/users/logout', { body: { refresh_token: session.refresh_token } })
    expect(await ending.closed(10_000)).toEqual({ code: 4001, reason: 'AUTH_TOKEN_REVOKED' })
    expect(staying.isOpen).toBe(true)
    // A new socket with the revoked token is refused at its first message.
    const again = await openSocket()
    again.send({ type: 'auth', token: session.access_token })
    expect(await again.closed()).toEqual({ code: 4001, reason: 'AUTH_TOKEN_REVOKED' })
  })
})
