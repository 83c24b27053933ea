import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'

describe('gateway', () => {
  it('reports every service ready, with the checks of its own dependencies', async () => {
    const { status, body } = await gateway('/health')
    expect(status).toBe(200)
    expect(body.status).toBe('ready')
    expect(Object.keys(body.services).sort()).toEqual(['dm', 'follower', 'media', 'notification', 'search', 'timeline', 'tweet', 'user'])
    // Redis and Elasticsearch are reachable through the services that own them.
    expect(body.services.timeline.checks.redis.status).toBe('up')
    expect(body.services.notification.checks.redis.status).toBe('up')
    expect(body.services.search.checks.elasticsearch.status).toBe('up')
    expect(body.services.user.checks.postgres.status).toBe('up')
    // Kafka and the outboxes are reported too, as dependencies a service still answers without.
    expect(body.services.tweet.checks.kafka).toMatchObject({ status: 'up', critical: false })
    expect(body.services.tweet.checks.outbox).toMatchObject({ status: 'up', critical: false, details: { pending: expect.any(Number) } })
    expect(body.services.tweet.checks.postgres).toMatchObject({ status: 'up', critical: true })
    expect(body).toMatchObject({ not_ready: [], degraded: {} })
  })

  it.each([
    ['POST', '/users/register', 'user'],
    ['GET', '/users/123', 'user'],
    ['GET', '/users/123/tweets', 'tweet'],
    ['POST', '/tweets/', 'tweet'],
    ['GET', '/tweets/123', 'tweet'],
    ['POST', '/follow/', 'follower'],
    ['POST', '/unfollow/', 'follower'],
    ['GET', '/followers/123', 'follower'],
    ['GET', '/following/123', 'follower'],
    ['POST', '/block/', 'follower'],
    ['GET', '/mutes', 'follower'],
    ['GET', '/timelines/123', 'timeline'],
    ['GET', '/search/?q=x', 'search'],
    ['GET', '/notifications/123', 'notification'],
    ['POST', '/messages/', 'dm'],
    ['GET', '/conversations', 'dm'],
    ['POST', '/media', 'media'],
    ['GET', '/media/123', 'media'],
  ])('routes %s %s to the %s service', async (method, path, service) => {
    const response = await gateway(path, { method, ...(method === 'POST' ? { body: {} } : {}) })
    expect(response.headers.get('x-starling-service')).toBe(service)
  })

  it('routes the WebSocket path to the notification service', async () => {
    const response = await gateway('/ws')
    expect(response.headers.get('x-starling-service')).toBe('notification')
  })

  it('answers an unknown path itself, as problem+json', async () => {
    const response = await gateway('/nowhere')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(response.body.code).toBe('ROUTE_NOT_FOUND')
  })

  it('forwards the caller\'s X-Request-Id to the service and back', async () => {
    const response = await gateway('/users/123', { headers: { 'x-request-id': 'trace-me-123' } })
    expect(response.headers.get('x-request-id')).toBe('trace-me-123')
    expect(response.body.request_id).toBe('trace-me-123')
  })

  it('makes up a request id when the caller sent none', async () => {
    const response = await gateway('/users/123')
    const id = response.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(response.body.request_id).toBe(id)
  })

  it.each([
    ['a NUL in the path, refused by nginx', '/users/%00', 'BAD_REQUEST'],
    ['a 300-character id, refused by the service', `/users/${'x'.repeat(300)}`, 'VALIDATION_FAILED'],
  ])('answers %s with 400 problem+json', async (_case, path, code) => {
    const response = await gateway(path)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(response.body.code).toBe(code)
  })

  it.each([
    ['a header past nginx\'s buffers', { path: '/users/1', headers: { 'x-padding': 'p'.repeat(9 * 1024) } }, 400, 'BAD_REQUEST'],
    ['a hundred headers of 1 KB', { path: '/users/1', headers: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-padding-${i}`, 'p'.repeat(1024)])) }, 400, 'BAD_REQUEST'],
    ['a URI past nginx\'s buffers', { path: `/users/${'1'.repeat(9000)}` }, 414, 'URI_TOO_LONG'],
    ['a path parameter past the router\'s limit', { path: `/users/${'1'.repeat(3000)}` }, 414, 'URI_TOO_LONG'],
    ['TRACE', { path: '/users/1', method: 'TRACE' }, 405, 'METHOD_NOT_ALLOWED'],
    ['a method nobody speaks', { path: '/tweets/', method: 'BREW' }, 405, 'METHOD_NOT_ALLOWED'],
  ])('answers %s with problem+json of the matching status', async (_case, request: { path: string; method?: string; headers?: Record<string, string> }, status, code) => {
    const response = await raw(request)
    expect(response.status).toBe(status)
    expect(response.type).toMatch(/^application\/problem\+json/)
    expect(response.body).toMatchObject({ status, code })
  })
})

/** node:http, which sends methods and headers fetch refuses to. */
function raw(request: { path: string; method?: string; headers?: Record<string, string> }) {
  return new Promise<{ status: number; type: string | undefined; body: unknown }>((resolve, reject) => {
    const call = http.request(`${testEnv.gatewayUrl}${request.path}`, { method: request.method ?? 'GET', headers: request.headers ?? {} }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }))
    })
    call.on('error', reject)
    call.end()
  })
}
