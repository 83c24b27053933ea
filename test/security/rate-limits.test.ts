import { generateKeyPairSync } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RAISED_GATEWAY_LIMITS } from '../../load-tests/config.ts'
import { mintToken } from '../setup/accounts.ts'
import { readJson } from '../setup/http.ts'
import { startGateway, startServiceInstance, type Running } from '../setup/processes.ts'
import { recordSecurityResult } from './record.ts'

// Per-user limits live in the services, where tokens are verified. Follower instances of the
// tests' own with low limits, behind gateways of the tests' own with high per-address limits,
// count in the stack's Redis like every instance does: one with 1 s windows, to measure a rate
// over several; two with 30 s windows, long enough that no window ends in the middle of a check.
const FAST = { RATE_LIMIT_WINDOW_SECONDS: '1', RATE_LIMIT_WRITES: '10', RATE_LIMIT_READS: '20' }
const LIMITS = { RATE_LIMIT_WINDOW_SECONDS: '30', RATE_LIMIT_WRITES: '10', RATE_LIMIT_READS: '20' }
let fast: Running
let follower: Running
let second: Running
let fastGateway: Running
let gateway: Running

beforeAll(async () => {
  ;[fast, follower, second] = await Promise.all([startServiceInstance('follower', FAST), startServiceInstance('follower', LIMITS), startServiceInstance('follower', LIMITS)])
  ;[fastGateway, gateway] = await Promise.all([
    startGateway({ limits: RAISED_GATEWAY_LIMITS, upstreams: { follower: `127.0.0.1:${fast.port}` } }),
    startGateway({ limits: RAISED_GATEWAY_LIMITS, upstreams: { follower: `127.0.0.1:${follower.port}` } }),
  ])
}, 60_000)

afterAll(async () => {
  await Promise.all([fastGateway?.stop(), gateway?.stop(), fast?.stop(), follower?.stop(), second?.stop()])
})

let nextUser = BigInt(Date.now()) * 1000n
const someone = () => {
  const id = String(nextUser++)
  return { id, token: mintToken({ id, username: `user${id}` }) }
}

const write = (token?: string, base = gateway.url) => fetch(`${base}/follow/`, {
  method: 'POST', body: JSON.stringify({ user_id: '1' }),
  // Straight to an instance, the header the gateway would set: without it a call counts as another service's.
  headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
}).then(readJson)
const read = (token?: string) => fetch(`${gateway.url}/blocks`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(readJson)

/** Sends `rate` requests a second for `ms`, on schedule (not one after another); the statuses. */
async function overload(rate: number, ms: number, send: () => Promise<{ status: number }>) {
  const started = Date.now()
  const sent: Promise<number>[] = []
  for (let i = 0; i < (rate * ms) / 1000; i++) {
    const due = started + (i * 1000) / rate
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()))
    sent.push(send().then((r) => r.status))
  }
  return Promise.all(sent)
}

/** A forged token: any header and claims, a signature nobody made. */
const forged = (claims: Record<string, unknown>) =>
  `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`

describe('per-user rate limits', () => {
  it('hold a user to the configured rate within 10% at three times the rate', async () => {
    const user = someone()
    // 10 writes per 1 s window, sent at 30/s for 4.9 s: 5 windows.
    const statuses = await overload(30, 4900, () => write(user.token, fastGateway.url))
    const accepted = statuses.filter((s) => s !== 429).length
    recordSecurityResult({
      check: 'per-account limit at three times its rate', requests: statuses.length, failures: accepted < 45 || accepted > 55 ? 1 : 0,
      notes: `${accepted} accepted of ${statuses.length} sent at 30/s, for 10 per 1 s window over 5 windows (50 expected)`,
    })
    expect(statuses.filter((s) => s !== 429 && s !== 404 && s !== 200)).toEqual([])
    expect(accepted).toBeGreaterThanOrEqual(45)
    expect(accepted).toBeLessThanOrEqual(55)
  }, 30_000)

  it('answer 429 problem+json with Retry-After and the RateLimit headers', async () => {
    const user = someone()
    const first = await write(user.token)
    expect(first.headers.get('ratelimit-limit')).toBe('10')
    expect(first.headers.get('ratelimit-remaining')).toBe('9')
    let rejected = first
    for (let i = 0; i < 12 && rejected.status !== 429; i++) rejected = await write(user.token)
    expect(rejected.status).toBe(429)
    expect(rejected.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(rejected.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
    expect(Number(rejected.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(rejected.headers.get('ratelimit-remaining')).toBe('0')
    expect(rejected.headers.get('x-request-id')).toBe(rejected.body.request_id)
  })

  it('give every user their own quota, whatever address they share, and count reads apart from writes', async () => {
    const [ada, bob] = [someone(), someone()]
    const adaStatuses = await Promise.all(Array.from({ length: 12 }, () => write(ada.token)))
    expect(adaStatuses.filter((r) => r.status === 429)).toHaveLength(2)
    expect((await write(bob.token)).headers.get('ratelimit-remaining')).toBe('9')
    expect((await read(ada.token)).status).toBe(200)
  })

  it('are shared by every instance: a quota spent on one is spent on all', async () => {
    const user = someone()
    await Promise.all(Array.from({ length: 10 }, () => write(user.token)))
    expect((await write(user.token, second.url)).status).toBe(429)
  })

  it('cannot be moved by a forged token: it is refused before it is counted, whoever it names', async () => {
    const victim = someone()
    const forgeries = [
      forged({ sub: victim.id, username: 'victim', iss: 'starling-user-service', aud: 'starling-api', exp: Math.floor(Date.now() / 1000) + 600 }),
      `x.${Buffer.from(JSON.stringify({ sub: victim.id })).toString('base64url')}.y`,
      mintToken({ id: victim.id, username: 'victim' }, { audience: 'another-api' }),
      jwt.sign({ username: 'victim', sid: 'x' }, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { algorithm: 'ES256', subject: victim.id, issuer: 'starling-user-service', audience: 'starling-api', expiresIn: 600 }),
    ]
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => write(forgeries[i % forgeries.length]).then((r) => r.status)))
    const remaining = (await write(victim.token)).headers.get('ratelimit-remaining')
    recordSecurityResult({
      check: 'forged tokens naming a victim, against the limits', requests: statuses.length, failures: statuses.filter((s) => s !== 401).length + (remaining === '9' ? 0 : 1),
      notes: `${forgeries.length} forgeries; the victim's next write left ${remaining} of 10`,
    })
    expect(new Set(statuses)).toEqual(new Set([401]))
    expect(remaining).toBe('9')
    expect((await read(victim.token)).headers.get('ratelimit-remaining')).toBe('19')
  })

  it('count anonymous calls per address, whatever X-Forwarded-For the caller makes up', async () => {
    const forgedAddresses = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${gateway.url}/followers/1`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } }).then((r) => r.status)))
    expect(forgedAddresses.filter((s) => s === 429).length).toBeGreaterThan(0)
  })

  it('leave other services\' own calls (not through the gateway) alone', async () => {
    const direct = await Promise.all(Array.from({ length: 30 }, () => fetch(`${second.url}/followers/1`).then((r) => r.status)))
    expect(direct.filter((s) => s === 429)).toEqual([])
  })

  it('count anonymous calls per address, apart from any user', async () => {
    const user = someone()
    const anonymous = await Promise.all(Array.from({ length: 25 }, () => fetch(`${gateway.url}/followers/1`).then((r) => r.status)))
    expect(anonymous.filter((s) => s === 429).length).toBeGreaterThan(0)
    expect((await read(user.token)).status).toBe(200)
  })
})
