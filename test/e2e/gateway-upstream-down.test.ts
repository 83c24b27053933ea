import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { RAISED_GATEWAY_LIMITS } from '../../load-tests/config.ts'
import { newAccount, type Account } from '../setup/accounts.ts'
import { readJson } from '../setup/http.ts'
import { startGateway, startServiceInstance, type Running } from '../setup/processes.ts'

// A tweet instance of the tests' own behind a gateway of the tests' own, frozen (SIGSTOP) and then
// killed: the gateway answers promptly, says so in /health, and the other services keep serving.
const LIMITS = { ...RAISED_GATEWAY_LIMITS, UPSTREAM_TIMEOUT_SECONDS: 2, UPSTREAM_MAX_FAILS: 2, UPSTREAM_FAIL_TIMEOUT_SECONDS: 5 }
let tweet: Running
let gateway: Running
let someone: Account

beforeAll(async () => {
  ;[tweet, someone] = await Promise.all([startServiceInstance('tweet'), newAccount('watcher')])
  gateway = await startGateway({ limits: LIMITS, upstreams: { tweet: `127.0.0.1:${tweet.port}` } })
}, 60_000)

afterAll(async () => {
  tweet?.process.kill('SIGCONT')
  await Promise.all([gateway?.stop(), tweet?.stop()])
})

/** A request that must be answered within `ms` (a hang fails it). */
const call = async (path: string, ms = 4000) => readJson(await fetch(`${gateway.url}${path}`, { signal: AbortSignal.timeout(ms) }))

describe('an upstream that stops answering', () => {
  it('is answered within the read timeout, then known down: 503 with Retry-After at once, named by /health, while the rest serves', async () => {
    expect((await call('/tweets/1')).body.code).toBe('TWT_NOT_FOUND')
    tweet.process.kill('SIGSTOP')
    try {
      // Each of the first requests waits out the 2 s read timeout; none waits longer.
      const first = await Promise.all([call('/tweets/1'), call('/tweets/2')])
      for (const response of first) expect([503, 504]).toContain(response.status)
      // Known down now: the backup answers without asking the frozen process.
      const known = await Promise.all(Array.from({ length: 5 }, (_, i) => call(`/tweets/${i + 10}`, 1000)))
      for (const response of known) {
        expect(response.status).toBe(503)
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        expect(response.body.code).toBe('UPSTREAM_UNAVAILABLE')
        expect(response.headers.get('retry-after')).toBe('5')
      }
      const health = await call('/health', 5000)
      expect(health.status).toBe(503)
      expect(health.body.not_ready).toEqual(['tweet'])
      expect((await call(`/users/${someone.id}`)).status).toBe(200)
    } finally {
      tweet.process.kill('SIGCONT')
    }
    // Once the fail timeout is over, the next request tries it again.
    await waitFor(async () => (await call('/tweets/1')).body.code === 'TWT_NOT_FOUND', { what: 'the tweet instance answering again', timeoutMs: 20_000 })
  }, 60_000)

  it('is answered with 503 at once when the process is gone', async () => {
    await tweet.stop()
    const responses = await Promise.all(Array.from({ length: 3 }, () => call('/tweets/1', 2000)))
    for (const response of responses) expect(response).toMatchObject({ status: 503, body: { code: 'UPSTREAM_UNAVAILABLE' } })
    expect((await call('/health', 5000)).body.not_ready).toEqual(['tweet'])
  })
})
