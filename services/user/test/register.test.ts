import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { gateway, type JsonResponse } from '../../../test/setup/http.ts'
import { user } from './fixtures/service.ts'

const register = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  user.request('/users/register', { method: 'POST', headers, body })

const newUser = (overrides: Record<string, unknown> = {}) => {
  const username = `u_${randomUUID().slice(0, 12).replace('-', '')}`
  return { username, email: `${username}@example.com`, password: 'long enough secret', ...overrides }
}

async function expectProblem(response: JsonResponse, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const problem = response.body
  expect(problem).toMatchObject({ status, code })
  expect(problem.title).toEqual(expect.any(String))
  return problem
}

describe('POST /users/register', () => {
  it('creates an account and answers with its public profile only', async () => {
    const input = newUser({ display_name: 'Ada Lovelace' })
    const response = await register(input)
    expect(response.status).toBe(201)
    const created = response.body
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9]+$/), username: input.username, display_name: 'Ada Lovelace', bio: '', avatar_url: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), followers_count: 0, following_count: 0, tweets_count: 0,
    })

    const profile = await user.request(`/users/${created.id}`)
    expect(profile.body).toEqual(created)
  })

  it('uses the username as display name when none is given', async () => {
    const input = newUser()
    const created = (await register(input)).body
    expect(created.display_name).toBe(input.username)
  })

  it('rejects a username that is taken, ignoring case, with 409', async () => {
    const input = newUser()
    expect((await register(input)).status).toBe(201)
    const again = newUser({ username: input.username.toUpperCase() })
    const problem = await expectProblem(await register(again), 409, 'USR_USERNAME_TAKEN')
    expect(problem.errors).toEqual([{ field: 'username', message: 'is already taken' }])
  })

  it.each([
    ['vip_admin1', 'vip_adminl'],
    ['root0', 'rootO'],
    ['rn1', 'm1'],
    ['Ian', 'lan'],
    ['vvho', 'who'],
  ])('refuses %s\'s look-alike %s with 409 USR_USERNAME_CONFUSABLE, and lets unlike names through', async (first, lookalike) => {
    const suffix = randomUUID().replaceAll('-', '').slice(0, 8)
    expect((await register(newUser({ username: `${first}_${suffix}` }))).status).toBe(201)
    const problem = await expectProblem(await register(newUser({ username: `${lookalike}_${suffix}` })), 409, 'USR_USERNAME_CONFUSABLE')
    expect(problem.errors).toEqual([{ field: 'username', message: 'reads the same as a username already taken' }])
    expect((await register(newUser({ username: `${first}x_${suffix}` }))).status).toBe(201)
  })

  it('rejects an email that is registered, ignoring case, with 409', async () => {
    const input = newUser()
    expect((await register(input)).status).toBe(201)
    await expectProblem(await register(newUser({ email: input.email.toUpperCase() })), 409, 'USR_EMAIL_TAKEN')
  })

  it('registers only one of two simultaneous sign-ups for the same username', async () => {
    const input = newUser()
    const responses = await Promise.all([register(input), register({ ...input, email: `other.${input.email}` })])
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409])
  })

  it('names every missing field', async () => {
    const problem = await expectProblem(await register({}), 400, 'VALIDATION_FAILED')
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password', 'username'])
  })

  it.each([
    ['a short username', { username: 'ab' }, 'username'],
    ['a username with a space', { username: 'ada lovelace' }, 'username'],
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['a 129-character password', { password: 'x'.repeat(129) }, 'password'],
    ['a number for a username', { username: 12345 }, 'username'],
    ['an unknown field', { is_admin: true }, 'is_admin'],
  ])('rejects %s with 400 naming the field', async (_case, overrides, field) => {
    const problem = await expectProblem(await register(newUser(overrides)), 400, 'VALIDATION_FAILED')
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field)
  })

  it('rejects malformed JSON with 400', async () => {
    await expectProblem(await register('{"username": "ada",'), 400, 'MALFORMED_JSON')
  })

  it('rejects a body that is not JSON with 415', async () => {
    await expectProblem(await register('username=ada', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    await expectProblem(await register('hello', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
  })

  it('rejects a 1 MB body at the gateway with 413', async () => {
    await expectProblem(await gateway('/users/register', { body: newUser({ display_name: 'x'.repeat(1024 * 1024) }) }), 413, 'BODY_TOO_LARGE')
  })

  it('rejects an empty JSON body with 400', async () => {
    const response = await register('')
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })
})

describe('GET /users/{user_id}', () => {
  it('answers 404 as problem+json for an unknown id', async () => {
    await expectProblem(await user.request('/users/1'), 404, 'USR_NOT_FOUND')
  })

  it('answers 400 for an id that is not a number', async () => {
    await expectProblem(await user.request('/users/abc'), 400, 'VALIDATION_FAILED')
  })
})
