import { AppError } from '@starling/shared'
import { describe, expect, it, vi } from 'vitest'
import { createUserDirectory } from './user-directory.ts'
import type { UserRepository } from './user.repository.ts'
import type { ReplicaUser } from './user.schemas.ts'

const replicaUser = (id: string, username: string): ReplicaUser => ({ id, username, display_name: username, updated_at: '2024-01-01T00:00:00.000Z' })
const profile = (id: string, username: string) =>
  ({ id, username, display_name: username.toUpperCase(), bio: '', created_at: '2024-05-01T10:00:00.000Z', followers_count: 0, following_count: 0, tweets_count: 0 })
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** A directory over an in-memory replica, in front of a user service that knows `remote`. */
function setup(known: ReplicaUser[], remote: ReturnType<typeof profile>[] = []) {
  const replica = new Map(known.map((user) => [user.id, user]))
  const users = {
    findById: async (id: string) => replica.get(id),
    findByUsernames: async (names: string[]) => [...replica.values()].filter((u) => names.some((n) => n.toLowerCase() === u.username.toLowerCase())),
    insertIfMissing: async (user: ReplicaUser) => { if (!replica.has(user.id)) replica.set(user.id, user) },
  } as unknown as UserRepository
  const fetch = vi.fn<typeof globalThis.fetch>(async (url) => {
    const path = new URL(String(url)).pathname
    const found = remote.find((p) => path === `/users/${p.id}` || path.toLowerCase() === `/users/by-username/${p.username.toLowerCase()}`)
    return found ? json(200, found) : json(404, { code: 'USR_NOT_FOUND' })
  })
  return { directory: createUserDirectory({ users, userServiceUrl: 'http://users.test', timeoutMs: 1000, fetch }), replica, fetch }
}

describe('user directory', () => {
  it('answers from the replica without asking the user service', async () => {
    const { directory, fetch } = setup([replicaUser('42', 'ada')])
    expect(await directory.get('42')).toMatchObject({ id: '42', username: 'ada' })
    expect(await directory.mentioned(['ADA'])).toEqual([{ user_id: '42', username: 'ada' }])
    expect(fetch).not.toHaveBeenCalled()
  })

  it('looks up an id the replica does not know yet, once, and remembers it', async () => {
    const { directory, replica, fetch } = setup([], [profile('42', 'ada')])
    expect(await directory.get('42')).toEqual({ id: '42', username: 'ada', display_name: 'ADA', updated_at: '2024-05-01T10:00:00.000Z' })
    expect(replica.has('42')).toBe(true)
    expect(await directory.exists('42')).toBe(true)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('resolves mentions in order, once each, looking up only the names the replica lacks and dropping unknown ones', async () => {
    const { directory, fetch } = setup([replicaUser('1', 'ada')], [profile('2', 'bob')])
    expect(await directory.mentioned(['Bob', 'ada', 'nobody', 'BOB'])).toEqual([{ user_id: '2', username: 'bob' }, { user_id: '1', username: 'ada' }])
    expect(fetch.mock.calls.map(([url]) => new URL(String(url)).pathname).sort()).toEqual(['/users/by-username/BOB', '/users/by-username/Bob', '/users/by-username/nobody'])
  })

  it('says no to an id beyond 64 bits without asking anyone', async () => {
    const { directory, fetch } = setup([])
    expect(await directory.exists('9223372036854775808')).toBe(false)
    expect(fetch).not.toHaveBeenCalled()
  })

  it.each([
    ['unreachable', async () => { throw new TypeError('fetch failed') }],
    ['failing', async () => json(500, { code: 'INTERNAL' })],
  ])('answers 503 with Retry-After when the user service is %s', async (_case, answer) => {
    const { directory, fetch } = setup([])
    fetch.mockImplementation(answer)
    const error = await directory.get('42').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ status: 503, code: 'TWT_USER_SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } })
  })
})
