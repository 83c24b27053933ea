import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RAISED_GATEWAY_LIMITS } from '../../load-tests/config.ts'
import { renderConfig } from '../../scripts/stack/components/nginx.ts'
import { mintToken } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway as mainGateway, readJson } from '../setup/http.ts'
import { freePort, startGateway, type Running } from '../setup/processes.ts'

// Gateways of the tests' own from the same template: one with limits low enough to hit, one with
// an upstream that never answers (for 504) and one that is not there (for 503). The stack's own
// gateway runs with the tests' high limits.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-gw-'))
let limited: Running
let faulty: Running
let slow: net.Server

const LOW = { RATE_AUTH_PER_MINUTE: 2, RATE_AUTH_BURST: 1, RATE_WRITES_PER_SECOND: 1, RATE_WRITES_BURST: 2, RATE_READS_PER_SECOND: 1, RATE_READS_BURST: 2 }

const callAt = (base: () => Running) => async (url: string, init: RequestInit = {}) => readJson(await fetch(`${base().url}${url}`, init))
const call = callAt(() => limited)
const callFaulty = callAt(() => faulty)
const json = (body: unknown, token?: string): RequestInit => ({
  method: 'POST', body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
})
const forged = (sub: string) => `x.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.y`

beforeAll(async () => {
  slow = net.createServer(() => { /* accepts and never answers */ })
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
  const slowPort = (slow.address() as net.AddressInfo).port
  ;[limited, faulty] = await Promise.all([
    startGateway({ limits: LOW }),
    startGateway({
      limits: { ...RAISED_GATEWAY_LIMITS, UPSTREAM_TIMEOUT_SECONDS: 1 },
      upstreams: { tweet: `127.0.0.1:${slowPort}`, dm: `127.0.0.1:${await freePort()}` },
    }),
  ])
})

afterAll(async () => {
  await Promise.all([limited?.stop(), faulty?.stop()])
  slow?.close()
})

describe('gateway limits and errors', () => {
  it('passes nginx -t with the rendered configuration', () => {
    const conf = path.join(dir, 'check.conf')
    fs.writeFileSync(conf, renderConfig())
    const result = spawnSync('nginx', ['-t', '-p', dir, '-c', conf, '-g', `pid ${path.join(dir, 'check.pid')};`], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
    expect(result.stderr).toMatch(/test is successful/)
    expect(result.status).toBe(0)
  })

  it('limits sign-up attempts per address with a 429 problem and the sign-in policy', async () => {
    const statuses = []
    let rejected
    for (let i = 0; i < 4; i++) {
      const response = await call('/users/register', json({}))
      statuses.push(response.status)
      if (response.status === 429) rejected = response
    }
    expect(statuses.slice(0, 2)).toEqual([400, 400])
    expect(statuses.at(-1)).toBe(429)
    expect(rejected!.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(rejected!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
    expect(rejected!.headers.get('retry-after')).toBe('60')
    expect(rejected!.headers.get('ratelimit-policy')).toBe('"sign-in";q=2;w=60')
    expect(rejected!.headers.get('ratelimit')).toMatch(/r=0/)
  })

  it('limits reads per address separately from writes', async () => {
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await call('/users/2001')).status)
    expect(statuses.at(-1)).toBe(429)
    expect((await call('/follow/', json({ user_id: '1' }))).status).not.toBe(429)
  })

  it('limits writes per address, whatever token each request carries', async () => {
    const [ada, bob] = [mintToken({ id: '1001', username: 'ada' }), mintToken({ id: '1002', username: 'bob' })]
    const statuses = []
    // A made-up subject per request, the way one would try to escape a limit keyed on it.
    for (let i = 0; i < 5; i++) statuses.push((await call('/follow/', json({ user_id: '1' }, forged(String(9000 + i))))).status)
    expect(statuses[0]).not.toBe(429)
    expect(statuses.at(-1)).toBe(429)
    // Real users behind the same address share its budget; their own is the services' to keep.
    expect((await call('/follow/', json({ user_id: '1' }, ada))).status).toBe(429)
    const rejected = await call('/follow/', json({ user_id: '1' }, bob))
    expect(rejected.status).toBe(429)
    expect(rejected.headers.get('retry-after')).toBe('1')
    expect(rejected.headers.get('ratelimit-policy')).toContain('"address-writes";q=1;w=1')
  })

  it('answers a write whose upstream takes too long with 504 problem+json: its outcome is unknown', async () => {
    const response = await callFaulty('/tweets/', json({ text: 'slow' }))
    expect(response.status).toBe(504)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(response.body.code).toBe('UPSTREAM_TIMEOUT')
    expect(response.headers.get('x-request-id')).toBe(response.body.request_id)
  })

  it('answers an upstream that is down with 503 problem+json and Retry-After', async () => {
    const response = await callFaulty('/conversations')
    expect(response.status).toBe(503)
    expect(response.body.code).toBe('UPSTREAM_UNAVAILABLE')
    expect(response.headers.get('retry-after')).toBe('5')
  })

  it('answers an oversized body with 413 problem+json before it reaches a service', async () => {
    const response = await callFaulty('/users/login', json({ username: 'x'.repeat(70_000), password: 'y' }))
    expect(response.status).toBe(413)
    expect(response.body.code).toBe('BODY_TOO_LARGE')
  })
})

describe('the stack\'s gateway', () => {
  it('sends security headers and one request id on every response', async () => {
    const response = await mainGateway('/users/123')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('compresses large JSON and serves the API reference of all eight services at /docs', async () => {
    const response = await fetch(`${testEnv.gatewayUrl}/docs/openapi.json`, { headers: { 'accept-encoding': 'gzip' } })
    expect(response.headers.get('content-encoding')).toBe('gzip')
    const spec = await response.json() as { openapi: string; paths: Record<string, unknown>; tags: { name: string }[] }
    expect(spec.openapi).toBe('3.1.0')
    expect(spec.tags.map((t) => t.name)).toEqual(['user', 'tweet', 'follower', 'timeline', 'search', 'notification', 'dm', 'media'])
    for (const route of ['/users/register', '/tweets/', '/follow/', '/timelines/{user_id}', '/search/']) expect(spec.paths).toHaveProperty([route])
    const asyncapi = await mainGateway('/docs/asyncapi.json')
    expect(asyncapi.body.asyncapi).toBe('3.0.0')
    // The brokers the stack's services were given, whatever they are.
    const servers = Object.values(asyncapi.body.servers as Record<string, { host: string; protocol: string }>)
    expect(servers.filter((s) => s.protocol === 'kafka').map((s) => s.host)).toEqual(testEnv.kafkaBrokers)
    expect((await mainGateway('/docs')).status).toBe(200)
  })
})
