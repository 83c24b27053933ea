import { describe, expect, it } from 'vitest'
import { gateway } from '../setup/http.ts'

describe('gateway', () => {
  it('reports every service ready, with the checks of its own dependencies', async () => {
    const { status, body } = await gateway('/health')
    expect(status).toBe(200)
    expect(body.status).toBe('ready')
    expect(Object.keys(body.services).sort()).toEqual(['dm', 'follower', 'notification', 'search', 'timeline', 'tweet', 'user'])
    // Redis and Elasticsearch are reachable through the services that own them.
    expect(body.services.timeline.checks.redis.status).toBe('up')
    expect(body.services.notification.checks.redis.status).toBe('up')
    expect(body.services.search.checks.elasticsearch.status).toBe('up')
    expect(body.services.user.checks.postgres.status).toBe('up')
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
})
