import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gateway as stackGateway, readJson } from '../setup/http.ts'
import { defaultGatewayLimits, runScript, startGateway, type Running } from '../setup/processes.ts'

// `npm run seed` under the gateway's default limits: a gateway of the test's own with them, in
// front of the stack's services (the stack's own may run with the test run's raised ones). The
// services keep whatever per-account limits the stack runs with; the seed's calls straight to
// them are limited by none, and its sign-in and reads through the gateway stay under any.
let limited: Running

beforeAll(async () => {
  limited = await startGateway({ limits: defaultGatewayLimits() })
})

afterAll(() => limited?.stop())

describe('npm run seed', () => {
  it('builds a world under the default limits and prints a sign-in whose home timeline has a full first page', async () => {
    // A guard against a hang, not a pace: about 15 s on the single-node stack, and past 45 s on
    // the cluster's 32 processes sharing 2 cores with the k6 smoke test.
    const seed = await runScript('scripts/seed.ts', ['--users', '40'], { env: { GATEWAY_URL: limited.url }, timeoutMs: 150_000 })
    expect(seed, seed.stderr.slice(-4000)).toMatchObject({ code: 0, signal: null })
    expect(seed.stdout).toContain(`Sign in at ${limited.url} as`)
    const username = /username: (\S+)/.exec(seed.stdout)?.[1]
    const password = /password: (\S+)/.exec(seed.stdout)?.[1]
    expect(username, seed.stdout).toBeDefined()

    // As the web client does it, through the gateway with the default limits.
    const login = await readJson(await fetch(`${limited.url}/users/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
    }))
    expect(login.status).toBe(200)
    const home = await readJson(await fetch(`${limited.url}/timelines/${login.body.user.id}?limit=20`, { headers: { authorization: `Bearer ${login.body.access_token}` } }))
    expect(home.status).toBe(200)
    expect(home.body.items).toHaveLength(20)
    expect(new Set(home.body.items.map((item: { author: { id: string } }) => item.author.id)).size).toBeGreaterThanOrEqual(3)
    // The same account through the stack's own gateway.
    expect((await stackGateway('/users/login', { body: { username, password } })).status).toBe(200)
  }, 180_000)

  it('refuses an option it does not know rather than ignoring it', async () => {
    const seed = await runScript('scripts/seed.ts', ['--raise-limits'], { env: { GATEWAY_URL: limited.url }, timeoutMs: 10_000 })
    expect(seed.code).toBe(1)
    expect(seed.stderr).toContain('unknown argument --raise-limits')
  })
})
