import { pino } from 'pino'
import Type from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpEnv, loadConfig } from '../config/load-config.ts'
import { createServiceApp, type ServiceApp } from '../http/create-service-app.ts'
import { defineErrors } from './catalogue.ts'

const errors = defineErrors('test', {
  THING_TAKEN: { status: 409, title: 'The name is taken' },
  THING_DOWN: { status: 503, title: 'The thing is away' },
})

let app: ServiceApp
beforeAll(async () => {
  app = await createServiceApp({
    service: 'test', description: 'test', config: loadConfig(Type.Object(HttpEnv), { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: '1024' }),
    countLimitsIn: 'memory', checks: {}, logger: pino({ level: 'silent' }),
  })
  app.post('/things', { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }), count: Type.Integer() }, { additionalProperties: false }) } }, async () => ({ ok: true }))
  app.get('/things/:id', { schema: { params: Type.Object({ id: Type.Integer() }), querystring: Type.Object({ limit: Type.Integer({ maximum: 10, default: 5 }) }) } }, async (request) => request.query)
  app.get('/conflict', async () => { throw errors.THING_TAKEN('That name is taken.', { errors: [{ field: 'name', message: 'is taken' }] }) })
  app.get('/unavailable', async () => { throw errors.THING_DOWN('Try later.', { retryAfterSeconds: 7 }) })
  app.get('/boom', async () => { throw new Error('database password is hunter2') })
  app.get('/postgres-away', async () => { throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) })
  await app.ready()
})
afterAll(() => app.close())

const post = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/things', payload, headers: { 'content-type': contentType, 'x-request-id': 'req-1' } })

describe('problem+json errors', () => {
  it('turns an AppError into its status, code and field errors', async () => {
    const response = await app.inject({ url: '/conflict', headers: { 'x-request-id': 'abc' } })
    expect(response.statusCode).toBe(409)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toEqual({
      type: 'https://starling.dev/problems/thing-taken', title: 'The name is taken', status: 409, code: 'THING_TAKEN',
      detail: 'That name is taken.', errors: [{ field: 'name', message: 'is taken' }], request_id: 'abc',
    })
  })

  it('answers 503 with Retry-After when a store is away, not 500', async () => {
    const response = await app.inject({ url: '/postgres-away' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.json()).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' })
    expect(response.body).not.toContain('administrator')
  })

  it('answers another method on a known path with 405 and Allow, and an unknown path with 404', async () => {
    const wrongMethod = await app.inject({ method: 'DELETE', url: '/things/12?x=1' })
    expect(wrongMethod.statusCode).toBe(405)
    expect(wrongMethod.headers.allow).toBe('GET, HEAD')
    expect(wrongMethod.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' })
    const nowhere = await app.inject({ method: 'GET', url: '/things/12/more' })
    expect(nowhere.statusCode).toBe(404)
    expect(nowhere.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' })
  })

  it('sends the headers an AppError carries', async () => {
    const response = await app.inject({ url: '/unavailable' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('7')
  })

  it('hides the details of an unexpected error behind a 500', async () => {
    const response = await app.inject({ url: '/boom' })
    expect(response.statusCode).toBe(500)
    expect(response.json().code).toBe('INTERNAL')
    expect(response.body).not.toContain('hunter2')
  })

  it('lists every invalid, missing and unknown field of a body', async () => {
    const response = await post(JSON.stringify({ name: 'x', extra: 1 }))
    expect(response.statusCode).toBe(400)
    const problem = response.json()
    expect(problem.code).toBe('VALIDATION_FAILED')
    expect(problem.request_id).toBe('req-1')
    expect(problem.errors).toEqual(expect.arrayContaining([
      { field: 'name', message: expect.stringMatching(/2 characters/) },
      { field: 'count', message: 'is required' },
      { field: 'extra', message: 'is not allowed' },
    ]))
  })

  it('does not coerce body types: a string is not an integer', async () => {
    const response = await post(JSON.stringify({ name: 'ok', count: '3' }))
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual([{ field: 'count', message: expect.any(String) }])
  })

  it('coerces query strings and path parameters, and applies defaults', async () => {
    const response = await app.inject({ url: '/things/12' })
    expect(response.json()).toEqual({ limit: 5 })
    expect((await app.inject({ url: '/things/12?limit=11' })).statusCode).toBe(400)
    expect((await app.inject({ url: '/things/twelve' })).json().errors[0].field).toBe('id')
  })

  it.each([
    ['malformed JSON', () => post('{"name":'), 400, 'MALFORMED_JSON'],
    ['an empty JSON body', () => post(''), 400, 'EMPTY_BODY'],
    ['a text body', () => post('hello', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over the limit', () => post(JSON.stringify({ name: 'x'.repeat(2000), count: 1 })), 413, 'BODY_TOO_LARGE'],
    ['an unknown route', () => app.inject({ url: '/nope' }), 404, 'ROUTE_NOT_FOUND'],
  ])('answers %s with %i %s', async (_case, send, status, code) => {
    const response = await send()
    expect(response.statusCode).toBe(status)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({ status, code, title: expect.any(String), type: expect.stringMatching(/^https:/) })
  })
})
