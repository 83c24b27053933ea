import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../errors/app-error.ts'
import { defineErrors } from '../errors/catalogue.ts'
import { createEvent } from '../events/envelope.ts'
import { createRelationReplica } from './relation-replica.ts'
import type { Relation, ReplicaRepository } from './replica.repository.ts'
import { createUserReplica, userServiceLookup, type ReplicaUser } from './user-replica.ts'

const errors = defineErrors('test', { TST_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service is away' } })

const replicaUser = (id: string, username: string, updatedAt = '2024-01-01T00:00:00.000Z'): ReplicaUser =>
  ({ id, username, display_name: username, avatar_url: null, updated_at: updatedAt })
const profile = (id: string, username: string) =>
  ({ id, username, display_name: username.toUpperCase(), avatar_url: null, bio: '', created_at: '2024-05-01T10:00:00.000Z', followers_count: 0, following_count: 0, tweets_count: 0 })
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** The replica's users table in memory, with the rules the SQL keeps: an upsert replaces only an older version, an insert never replaces. */
function memoryUsers(rows: ReplicaUser[]) {
  const table = new Map(rows.map((user) => [user.id, user]))
  const calls: string[] = []
  const users: ReplicaRepository['users'] = {
    async upsert(user) {
      calls.push('upsert')
      const row = table.get(user.id)
      if (!row || Date.parse(row.updated_at) < Date.parse(user.updated_at)) table.set(user.id, user)
    },
    async insertIfMissing(user) {
      calls.push('insertIfMissing')
      if (!table.has(user.id)) table.set(user.id, user)
    },
    async get(id) {
      calls.push('get')
      return table.get(id)
    },
    async findByUsernames(usernames) {
      calls.push('findByUsernames')
      const wanted = usernames.map((name) => name.toLowerCase())
      return [...table.values()].filter((user) => wanted.includes(user.username.toLowerCase()))
    },
  }
  return { users, table, calls }
}

/** A replica over `known`, in front of a user service that knows `remote`. */
function setup(known: ReplicaUser[], remote: ReturnType<typeof profile>[] = []) {
  const { users, table, calls } = memoryUsers(known)
  const fetch = vi.fn<typeof globalThis.fetch>(async (url) => {
    const path = new URL(String(url)).pathname
    const found = remote.find((p) => path === `/users/${p.id}` || path.toLowerCase() === `/users/by-username/${p.username.toLowerCase()}`)
    return found ? json(200, found) : json(404, { code: 'USR_NOT_FOUND' })
  })
  const lookup = userServiceLookup({ userServiceUrl: 'http://users.test', timeoutMs: 1000, unavailable: errors.TST_USER_SERVICE_UNAVAILABLE, fetch })
  const replica = createUserReplica({ users }, { lookup })
  return { replica, table, calls, fetch }
}

const registered = (id: string, username: string, createdAt: string) =>
  createEvent('user.registered', 1, id, { user_id: id, username, display_name: username, created_at: createdAt })
const updated = (id: string, displayName: string, updatedAt: string) =>
  createEvent('user.updated', 1, id, { user_id: id, username: 'ada', display_name: displayName, bio: '', updated_at: updatedAt })

describe('user replica', () => {
  it('applies registrations and newer updates, and ignores redeliveries, older events and other event types', async () => {
    const { replica, table, calls } = setup([])
    await replica.handle(registered('42', 'ada', '2024-05-01T10:00:00.000Z'))
    const rename = updated('42', 'Ada L.', '2024-05-02T10:00:00.000Z')
    await replica.handle(rename)
    await replica.handle(updated('42', 'Stale', '2024-05-01T12:00:00.000Z'))
    await replica.handle(registered('42', 'ada', '2024-05-01T10:00:00.000Z'))
    await replica.handle(rename)
    expect(table.get('42')).toEqual({ id: '42', username: 'ada', display_name: 'Ada L.', avatar_url: null, updated_at: '2024-05-02T10:00:00.000Z' })

    calls.length = 0
    await replica.handle(createEvent('follow.created', 1, '42', { follower_id: '42', followee_id: '43', created_at: '2024-05-03T10:00:00.000Z' }))
    expect(calls).toEqual([])
  })

  it('asks the next instance of the user service when one cannot be reached', async () => {
    const { users } = memoryUsers([])
    const fetch = vi.fn<typeof globalThis.fetch>(async (url) => {
      if (new URL(String(url)).host === 'down.test') throw new TypeError('fetch failed')
      return json(200, profile('42', 'ada'))
    })
    const lookup = userServiceLookup({ userServiceUrl: 'http://down.test,http://up.test', timeoutMs: 1000, unavailable: errors.TST_USER_SERVICE_UNAVAILABLE, fetch })
    expect(await createUserReplica({ users }, { lookup }).get('42')).toMatchObject({ id: '42', username: 'ada' })
    expect(fetch.mock.calls.map(([url]) => new URL(String(url)).host)).toEqual(['down.test', 'up.test'])
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
    const expected = { id: '42', username: 'ada', display_name: 'ADA', avatar_url: null, updated_at: '2024-05-01T10:00:00.000Z' }
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
    const { replica, calls, fetch } = setup([])
    expect(await replica.exists('9223372036854775808')).toBe(false)
    expect(calls).toEqual([])
    expect(fetch).not.toHaveBeenCalled()
  })

  it('finds usernames in the order given, once each, looking up only the names the replica lacks and dropping unknown ones', async () => {
    const { replica, table, fetch } = setup([replicaUser('1', 'ada')], [profile('2', 'bob')])
    expect((await replica.findByUsernames(['Bob', 'ada', 'nobody', 'BOB'])).map((user) => user.id)).toEqual(['2', '1'])
    expect(fetch.mock.calls.map(([url]) => new URL(String(url)).pathname).sort()).toEqual(['/users/by-username/BOB', '/users/by-username/Bob', '/users/by-username/nobody'])
    expect(table.has('2')).toBe(true)
  })

  it('asks nothing for no usernames', async () => {
    const { replica, calls } = setup([])
    expect(await replica.findByUsernames([])).toEqual([])
    expect(calls).toEqual([])
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

  it('without a lookup answers from the copy alone, and never asks the user service', async () => {
    const { users, table } = memoryUsers([replicaUser('1', 'ada')])
    const replica = createUserReplica({ users })
    expect(await replica.exists('1')).toBe(true)
    expect(await replica.get('42')).toBeUndefined()
    expect(await replica.findByUsernames(['ada', 'bob'])).toEqual([replicaUser('1', 'ada')])
    expect(table.size).toBe(1)
  })
})

describe('relation replica', () => {
  function memoryRelations() {
    const rows = new Set<string>()
    const relations: ReplicaRepository['relations'] = {
      async set(relation, actorId, subjectId, present) {
        if (present) rows.add(`${relation}:${actorId}:${subjectId}`)
        else rows.delete(`${relation}:${actorId}:${subjectId}`)
      },
      blockedEitherWay: async (a, b) => rows.has(`blocks:${a}:${b}`) || rows.has(`blocks:${b}:${a}`),
    }
    return { relations, rows }
  }
  const block = (type: 'block.created' | 'block.deleted') => createEvent(type, 1, '1', { blocker_id: '1', blocked_id: '2', at: '2024-05-01T10:00:00.000Z' })
  const mute = (type: 'mute.created' | 'mute.deleted') => createEvent(type, 1, '1', { muter_id: '1', muted_id: '2', at: '2024-05-01T10:00:00.000Z' })

  it('keeps blocks and mutes from the graph events, each change applied twice the same as once', async () => {
    const { relations, rows } = memoryRelations()
    const replica = createRelationReplica({ relations }, ['blocks', 'mutes'])
    for (const event of [block('block.created'), block('block.created'), mute('mute.created')]) await replica.handle(event)
    expect([...rows].sort()).toEqual(['blocks:1:2', 'mutes:1:2'])
    expect(await replica.blockedEitherWay('2', '1')).toBe(true)
    for (const event of [block('block.deleted'), block('block.deleted')]) await replica.handle(event)
    expect([...rows]).toEqual(['mutes:1:2'])
    expect(await replica.blockedEitherWay('1', '2')).toBe(false)
  })

  it.each<[Relation[], string[]]>([[['blocks'], ['blocks:1:2']], [['mutes'], ['mutes:1:2']]])('keeps only the relations it is asked to (%j)', async (keep, kept) => {
    const { relations, rows } = memoryRelations()
    const replica = createRelationReplica({ relations }, keep)
    await replica.handle(block('block.created'))
    await replica.handle(mute('mute.created'))
    await replica.handle(createEvent('follow.created', 1, '1', { follower_id: '1', followee_id: '2', created_at: '2024-05-01T10:00:00.000Z' }))
    expect([...rows]).toEqual(kept)
  })
})
