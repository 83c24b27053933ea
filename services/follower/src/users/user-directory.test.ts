import { AppError } from '@starling/shared'
import { describe, expect, it, vi } from 'vitest'
import { createUserDirectory } from './user-directory.ts'
import type { UserRepository } from './user.repository.ts'
import type { ReplicaUser } from './user.schemas.ts'

function setup(answer: () => Promise<Response>, known: string[] = []) {
  const replica = new Map<string, ReplicaUser>(known.map((id) => [id, { id, username: `u${id}`, display_name: `U ${id}`, updated_at: '2024-01-01T00:00:00.000Z' }]))
  const users = {
    exists: async (id: string) => replica.has(id),
    insertIfMissing: async (user: ReplicaUser) => { if (!replica.has(user.id)) replica.set(user.id, user) },
  } as unknown as UserRepository
  const fetch = vi.fn<typeof globalThis.fetch>(answer)
  const directory = createUserDirectory({ users, userServiceUrl: 'http://users.test', timeoutMs: 1000, fetch })
  return { directory, replica, fetch }
}

const json = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const profile = { id: '42', username: 'ada', display_name: 'Ada', bio: '', created_at: '2024-05-01T10:00:00.000Z', followers_count: 0, following_count: 0, tweets_count: 0 }

describe('user directory', () => {
  it('answers from the replica without asking the user service', async () => {
    const { directory, fetch } = setup(json(500, {}), ['42'])
    expect(await directory.exists('42')).toBe(true)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('looks up an id the replica does not know yet, once, and remembers it', async () => {
    const { directory, replica, fetch } = setup(json(200, profile))
    expect(await directory.exists('42')).toBe(true)
    expect(String(fetch.mock.calls[0]![0])).toBe('http://users.test/users/42')
    expect(replica.get('42')).toEqual({ id: '42', username: 'ada', display_name: 'Ada', updated_at: profile.created_at })
    expect(await directory.exists('42')).toBe(true)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('says no when the user service does not know the id either', async () => {
    const { directory, replica } = setup(json(404, { code: 'USR_NOT_FOUND' }))
    expect(await directory.exists('42')).toBe(false)
    expect(replica.size).toBe(0)
  })

  it('says no to an id beyond 64 bits without asking anyone', async () => {
    const { directory, fetch } = setup(json(200, profile))
    expect(await directory.exists('9223372036854775808')).toBe(false)
    expect(fetch).not.toHaveBeenCalled()
  })

  it.each([
    ['unreachable', async () => { throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }) }],
    ['failing', json(500, { code: 'INTERNAL' })],
  ])('answers 503 with Retry-After when the user service is %s', async (_case, answer) => {
    const { directory } = setup(answer)
    const error = await directory.exists('42').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ status: 503, code: 'FLW_USER_SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } })
  })
})
