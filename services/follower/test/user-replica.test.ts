import { fileURLToPath } from 'node:url'
import { migrate } from '@starling/shared/db'
import { createEvent } from '@starling/shared/events'
import { createUserReplica } from '@starling/shared/users'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scratchDatabase } from '../../../shared/test/fixtures/postgres.ts'

// The replica's ordering rules, against a scratch database migrated with this service's schema.
let db: Awaited<ReturnType<typeof scratchDatabase>>
let pool: pg.Pool
beforeAll(async () => {
  db = await scratchDatabase()
  await migrate(db.url, fileURLToPath(new URL('../migrations', import.meta.url)), pino({ level: 'silent' }))
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
    createUserReplica({
      pool, userServiceUrl: 'http://users.test', unavailableCode: 'FLW_USER_SERVICE_UNAVAILABLE',
      fetch: async () => { await meanwhile(); return Response.json({ ...profile, username: 'ada' }) },
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
