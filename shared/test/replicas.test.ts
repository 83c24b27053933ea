import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../src/db/migrate.ts'
import { defineErrors } from '../src/errors/catalogue.ts'
import { createEvent } from '../src/events/envelope.ts'
import { createPgUnitOfWork } from '../src/outbox/unit-of-work.ts'
import { createRelationReplica, createReplicaRepository, createUserReplica, userServiceLookup } from '../src/replicas/index.ts'
import { scratchDatabase } from './fixtures/postgres.ts'

// The replicas' SQL and ordering rules, against a scratch database with only the platform and replica tables.
let db: Awaited<ReturnType<typeof scratchDatabase>>
let pool: pg.Pool
const errors = defineErrors('test', { TST_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service is away' } })
beforeAll(async () => {
  db = await scratchDatabase()
  const noServiceMigrations = mkdtempSync(path.join(tmpdir(), 'starling-migrations-'))
  await migrate(db.url, noServiceMigrations, pino({ level: 'silent' }), { replicas: true })
  pool = new pg.Pool({ connectionString: db.url })
})
afterAll(async () => {
  await pool?.end()
  await db?.drop()
})

let nextId = 1000
const registered = (id: string, name: string, createdAt: string) =>
  createEvent('user.registered', 1, id, { user_id: id, username: name, display_name: name, created_at: createdAt })
const updated = (id: string, displayName: string, updatedAt: string) =>
  createEvent('user.updated', 1, id, { user_id: id, username: 'ada', display_name: displayName, bio: '', updated_at: updatedAt })
const row = async (id: string) => (await pool.query('SELECT username, display_name FROM users WHERE id = $1', [id])).rows[0]

describe('user replica', () => {
  /** A replica in front of a user service that answers with this profile, after running `meanwhile`. */
  const replicator = (profile?: { id: string; display_name: string; created_at: string }, meanwhile = async () => {}) =>
    createUserReplica(createReplicaRepository(pool), {
      lookup: userServiceLookup({
        userServiceUrl: 'http://users.test', unavailable: errors.TST_USER_SERVICE_UNAVAILABLE,
        fetch: async () => { await meanwhile(); return Response.json({ ...profile, username: 'ada' }) },
      }),
    })

  it('applies registrations and newer updates, and ignores redeliveries and older events', async () => {
    const id = String(nextId++)
    const replica = replicator()
    await replica.handle(registered(id, 'ada', '2024-05-01T10:00:00.000Z'))
    const rename = updated(id, 'Ada L.', '2024-05-02T10:00:00.000Z')
    await replica.handle(rename)
    expect(await row(id)).toEqual({ username: 'ada', display_name: 'Ada L.' })

    await replica.handle(updated(id, 'Stale', '2024-05-01T12:00:00.000Z'))
    await replica.handle(registered(id, 'ada', '2024-05-01T10:00:00.000Z'))
    await replica.handle(rename)
    expect(await row(id)).toEqual({ username: 'ada', display_name: 'Ada L.' })
  })

  it('lets the events overwrite a row learnt from the user service, and never the other way', async () => {
    const id = String(nextId++)
    await replicator({ id, display_name: 'From lookup', created_at: '2024-05-01T10:00:00.000Z' }).get(id)
    await replicator().handle(updated(id, 'From event', '2024-05-03T10:00:00.000Z'))
    expect(await row(id)).toEqual({ username: 'ada', display_name: 'From event' })

    // A lookup that raced an event (the row was missing when it started) does not overwrite it.
    const other = String(nextId++)
    const racing = replicator({ id: other, display_name: 'Later lookup', created_at: '2024-05-04T10:00:00.000Z' },
      () => replicator().handle(updated(other, 'From event', '2024-05-03T10:00:00.000Z')))
    await racing.get(other)
    expect(await row(other)).toEqual({ username: 'ada', display_name: 'From event' })
  })
})

describe('relation replica', () => {
  const block = (type: 'block.created' | 'block.deleted', blocker: string, blocked: string) =>
    createEvent(type, 1, blocker, { blocker_id: blocker, blocked_id: blocked, at: '2024-05-01T10:00:00.000Z' })
  const mute = (type: 'mute.created' | 'mute.deleted', muter: string, muted: string) =>
    createEvent(type, 1, muter, { muter_id: muter, muted_id: muted, at: '2024-05-01T10:00:00.000Z' })
  const rows = async (table: 'blocks' | 'mutes', actor: string) =>
    (await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${table === 'blocks' ? 'blocker_id' : 'muter_id'} = $1`, [actor])).rows[0].n

  it('keeps blocks and mutes, each event applied twice the same as once', async () => {
    const [a, b] = [String(nextId++), String(nextId++)]
    const replica = createRelationReplica(createReplicaRepository(pool), ['blocks', 'mutes'])
    for (const event of [block('block.created', a, b), block('block.created', a, b), mute('mute.created', a, b)]) await replica.handle(event)
    expect([await rows('blocks', a), await rows('mutes', a)]).toEqual([1, 1])
    expect(await replica.blockedEitherWay(b, a)).toBe(true)
    for (const event of [block('block.deleted', a, b), block('block.deleted', a, b), mute('mute.deleted', a, b)]) await replica.handle(event)
    expect([await rows('blocks', a), await rows('mutes', a)]).toEqual([0, 0])
    expect(await replica.blockedEitherWay(a, b)).toBe(false)
  })

  it('takes part in a unit of work: its change and the events commit together, or neither does', async () => {
    const [a, b] = [String(nextId++), String(nextId++)]
    const uow = createPgUnitOfWork(pool, (sql) => ({ relations: createRelationReplica(createReplicaRepository(sql), ['blocks']) }))
    const outbox = async () => (await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE key = $1`, [a])).rows[0].n
    await expect(uow.run(async ({ relations }, events) => {
      await relations.handle(block('block.created', a, b))
      events.publish(block('block.created', a, b))
      throw new Error('the rule refused')
    })).rejects.toThrow('the rule refused')
    expect([await rows('blocks', a), await outbox()]).toEqual([0, 0])
    await uow.run(async ({ relations }, events) => {
      await relations.handle(block('block.created', a, b))
      events.publish(block('block.created', a, b))
    })
    expect([await rows('blocks', a), await outbox()]).toEqual([1, 1])
  })
})
