import type { Pool } from 'pg'
import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../errors/app-error.ts'
import { createEvent } from '../events/envelope.ts'
import { createUserReplica, type ReplicaUser } from './user-replica.ts'

const replicaUser = (id: string, username: string, updatedAt = '2024-01-01T00:00:00.000Z'): ReplicaUser =>
  ({ id, username, display_name: username, updated_at: updatedAt })
const profile = (id: string, username: string) =>
  ({ id, username, display_name: username.toUpperCase(), bio: '', created_at: '2024-05-01T10:00:00.000Z', followers_count: 0, following_count: 0, tweets_count: 0 })
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/**
 * The `users` table in memory, answering the replica's few statements as Postgres would. The
 * rules that matter here: an upsert only replaces an older version, an insert never replaces.
 */
function fakePool(rows: ReplicaUser[]) {
  const table = new Map(rows.map((user) => [user.id, user]))
  const query = vi.fn(async (text: string, values: unknown[] = []) => {
    if (text.startsWith('SELECT') && text.includes('WHERE id = $1')) return { rows: table.has(values[0] as string) ? [table.get(values[0] as string)] : [] }
    if (text.startsWith('SELECT') && text.includes('WHERE lower(username) = ANY($1::text[])')) {
      return { rows: [...table.values()].filter((user) => (values[0] as string[]).includes(user.username.toLowerCase())) }
    }
    if (text.startsWith('INSERT INTO users')) {
      const [id, username, display_name, updated_at] = values as string[]
      const row = table.get(id!)
      const newer = row !== undefined && text.includes('DO UPDATE') && text.includes('WHERE users.updated_at < EXCLUDED.updated_at') &&
        Date.parse(row.updated_at) < Date.parse(updated_at!)
      if (!row || newer) table.set(id!, { id: id!, username: username!, display_name: display_name!, updated_at: updated_at! })
      return { rows: [] }
    }
    throw new Error(`unexpected statement: ${text}`)
  })
  return { pool: { query } as unknown as Pool, table, query }
}

/** A replica over `known`, in front of a user service that knows `remote`. */
function setup(known: ReplicaUser[], remote: ReturnType<typeof profile>[] = []) {
  const { pool, table, query } = fakePool(known)
  const fetch = vi.fn<typeof globalThis.fetch>(async (url) => {
    const path = new URL(String(url)).pathname
    const found = remote.find((p) => path === `/users/${p.id}` || path.toLowerCase() === `/users/by-username/${p.username.toLowerCase()}`)
    return found ? json(200, found) : json(404, { code: 'USR_NOT_FOUND' })
  })
  const replica = createUserReplica({ pool, userServiceUrl: 'http://users.test', timeoutMs: 1000, unavailableCode: 'TST_USER_SERVICE_UNAVAILABLE', fetch })
  return { replica, table, query, fetch }
}

const registered = (id: string, username: string, createdAt: string) =>
  createEvent('user.registered', 1, id, { user_id: id, username, display_name: username, created_at: createdAt })
const updated = (id: string, displayName: string, updatedAt: string) =>
  createEvent('user.updated', 1, id, { user_id: id, username: 'ada', display_name: displayName, bio: '', updated_at: updatedAt })

describe('user replica', () => {
  it('applies registrations and newer updates, and ignores redeliveries, older events and other event types', async () => {
    const { replica, table, query } = setup([])
    await replica.handle(registered('42', 'ada', '2024-05-01T10:00:00.000Z'))
    const rename = updated('42', 'Ada L.', '2024-05-02T10:00:00.000Z')
    await replica.handle(rename)
    await replica.handle(updated('42', 'Stale', '2024-05-01T12:00:00.000Z'))
    await replica.handle(registered('42', 'ada', '2024-05-01T10:00:00.000Z'))
    await replica.handle(rename)
    expect(table.get('42')).toEqual({ id: '42', username: 'ada', display_name: 'Ada L.', updated_at: '2024-05-02T10:00:00.000Z' })

    query.mockClear()
    await replica.handle(createEvent('follow.created', 1, '42', { follower_id: '42', followee_id: '43', created_at: '2024-05-03T10:00:00.000Z' }))
    expect(query).not.toHaveBeenCalled()
  })

  it('answers from the replica without asking the user service', async () => {
    const { replica, fetch } = setup([replicaUser('42', 'ada')])
    expect(await replica.get('42')).toMatchObject({ id: '42', username: 'ada' })
    expect(await replica.exists('42')).toBe(true)
    expect(await replica.findByUsernames(['ADA'])).toEqual([replicaUser('42', 'ada')])
    expect(fetch).not.toHaveBeenCalled()
  })

  it('looks up an id the replica does not know yet, once, and remembers it as of registration', async () => {
    const { replica, table, fetch } = setup([], [profile('42', 'ada')])
    const expected = { id: '42', username: 'ada', display_name: 'ADA', updated_at: '2024-05-01T10:00:00.000Z' }
    expect(await replica.get('42')).toEqual(expected)
    expect(String(fetch.mock.calls[0]![0])).toBe('http://users.test/users/42')
    expect(table.get('42')).toEqual(expected)
    expect(await replica.exists('42')).toBe(true)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('never lets a lookup overwrite what an event wrote in the meantime', async () => {
    const { replica, table, fetch } = setup([], [{ ...profile('42', 'ada'), created_at: '2024-05-04T10:00:00.000Z' }])
    const lookUp = fetch.getMockImplementation()!
    fetch.mockImplementationOnce(async (...args) => {
      await replica.handle(updated('42', 'From event', '2024-05-03T10:00:00.000Z'))
      return lookUp(...args)
    })
    await replica.get('42')
    expect(table.get('42')).toMatchObject({ display_name: 'From event' })
  })

  it('says no when the user service does not know the id either', async () => {
    const { replica, table } = setup([])
    expect(await replica.get('42')).toBeUndefined()
    expect(await replica.exists('42')).toBe(false)
    expect(table.size).toBe(0)
  })

  it('says no to an id beyond 64 bits without asking anyone', async () => {
    const { replica, query, fetch } = setup([])
    expect(await replica.exists('9223372036854775808')).toBe(false)
    expect(query).not.toHaveBeenCalled()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('finds usernames in the order given, once each, looking up only the names the replica lacks and dropping unknown ones', async () => {
    const { replica, table, fetch } = setup([replicaUser('1', 'ada')], [profile('2', 'bob')])
    expect((await replica.findByUsernames(['Bob', 'ada', 'nobody', 'BOB'])).map((user) => user.id)).toEqual(['2', '1'])
    expect(fetch.mock.calls.map(([url]) => new URL(String(url)).pathname).sort()).toEqual(['/users/by-username/BOB', '/users/by-username/Bob', '/users/by-username/nobody'])
    expect(table.has('2')).toBe(true)
  })

  it('asks nothing for no usernames', async () => {
    const { replica, query } = setup([])
    expect(await replica.findByUsernames([])).toEqual([])
    expect(query).not.toHaveBeenCalled()
  })

  it.each([
    ['unreachable', async () => { throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }) }],
    ['failing', async () => json(500, { code: 'INTERNAL' })],
  ])('answers 503 with the service\'s code and Retry-After when the user service is %s', async (_case, answer) => {
    const { replica, fetch } = setup([])
    fetch.mockImplementation(answer)
    for (const attempt of [() => replica.get('42'), () => replica.findByUsernames(['ada'])]) {
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect(error).toMatchObject({ status: 503, code: 'TST_USER_SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } })
    }
  })
})
