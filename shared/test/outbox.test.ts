import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, withTransaction } from '@starling/shared/db'
import { topics, type EventEnvelope } from '@starling/shared/events'
import { createOutboxRelay, enqueueEvents } from '@starling/shared/outbox'
import { waitFor } from '../src/testing/index.ts'
import { silentLogger, testBus, userRegistered } from './fixtures/kafka.ts'
import { scratchDatabase } from './fixtures/postgres.ts'

describe('outbox relay', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>
  let pool: pg.Pool
  beforeAll(async () => {
    db = await scratchDatabase()
    await migrate(db.url, fileURLToPath(new URL('./fixtures/migrations', import.meta.url)), silentLogger)
    pool = new pg.Pool({ connectionString: db.url })
  })
  afterAll(async () => {
    await pool.end()
    await db.drop()
  })

  it('publishes the events of committed transactions, in order, and never those of rolled-back ones', async () => {
    const bus = testBus()
    const received: EventEnvelope[] = []
    const consumer = await bus.subscribe({ group: `outbox-${randomUUID()}`, topics: [topics.users.name], handle: async (e) => { received.push(e) } })
    const relay = createOutboxRelay({ pool, bus, logger: silentLogger })
    try {
      await relay.start()
      const committed = [userRegistered(`c1${randomUUID()}`), userRegistered(`c2${randomUUID()}`)]
      const rolledBack = userRegistered(`rb${randomUUID()}`)
      await withTransaction(pool, (tx) => enqueueEvents(tx, committed))
      await expect(withTransaction(pool, async (tx) => {
        await enqueueEvents(tx, [rolledBack])
        throw new Error('the write failed')
      })).rejects.toThrow('the write failed')

      const mine = () => received.filter((e) => [...committed, rolledBack].some((c) => c.id === e.id))
      await waitFor(() => mine().length === 2, { what: 'the committed events on Kafka' })
      expect(mine().map((e) => e.id)).toEqual(committed.map((e) => e.id))
      await waitFor(async () => (await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n === 0, { what: 'an empty outbox' })
    } finally {
      await relay.stop()
      await consumer.stop()
      await bus.close()
    }
  })

  it('publishes an event committed while it was busy publishing, without waiting for its polling backstop', async () => {
    const bus = testBus()
    const received: EventEnvelope[] = []
    const consumer = await bus.subscribe({ group: `outbox-${randomUUID()}`, topics: [topics.users.name], handle: async (e) => { received.push(e) } })
    const [first, second] = [userRegistered(`busy1${randomUUID()}`), userRegistered(`busy2${randomUUID()}`)]
    // The first publish holds until the second event is committed, so its NOTIFY arrives mid-drain.
    let releaseFirst!: () => void
    const firstHeld = new Promise<void>((resolve) => { releaseFirst = resolve })
    let publishing = false
    const slowBus = {
      ...bus,
      publish: async (topic: string, events: EventEnvelope[]) => {
        if (events.some((e) => e.id === first.id)) {
          publishing = true
          await firstHeld
        }
        await bus.publish(topic, events)
      },
    }
    const relay = createOutboxRelay({ pool, bus: slowBus, logger: silentLogger, pollIntervalMs: 600_000 })
    try {
      await relay.start()
      await withTransaction(pool, (tx) => enqueueEvents(tx, [first]))
      await waitFor(() => publishing, { what: 'the relay to be publishing the first event' })
      await withTransaction(pool, (tx) => enqueueEvents(tx, [second]))
      releaseFirst()
      await waitFor(() => received.some((e) => e.id === second.id), { timeoutMs: 15_000, what: 'the event committed mid-drain' })
    } finally {
      await relay.stop()
      await consumer.stop()
      await bus.close()
    }
  })

  it('stops as soon as the drain under way ends, however long its polling interval', async () => {
    const bus = testBus()
    let releasePublish!: () => void
    const publishHeld = new Promise<void>((resolve) => { releasePublish = resolve })
    let publishing = false
    const heldBus = {
      ...bus,
      publish: async (topic: string, events: EventEnvelope[]) => {
        publishing = true
        await publishHeld
        await bus.publish(topic, events)
      },
    }
    const relay = createOutboxRelay({ pool, bus: heldBus, logger: silentLogger, pollIntervalMs: 600_000 })
    try {
      await relay.start()
      await withTransaction(pool, (tx) => enqueueEvents(tx, [userRegistered(`stop${randomUUID()}`)]))
      await waitFor(() => publishing, { what: 'the relay to be publishing' })
      let stopped = false
      const stopping = relay.stop().then(() => { stopped = true })
      releasePublish()
      // Before the fix it waited out the ten-minute interval.
      await waitFor(() => stopped, { timeoutMs: 15_000, what: 'the relay to stop' })
      await stopping
    } finally {
      releasePublish()
      await relay.stop()
      await bus.close()
    }
  })

  it('keeps events while Kafka cannot be reached and publishes them once it can', async () => {
    const unreachable = testBus({ brokers: ['127.0.0.1:1'] })
    let failedPublishes = 0
    const countingLogger = pino({ level: 'warn' }, { write: (line: string) => { if (line.includes('outbox relay could not publish')) failedPublishes++ } })
    const relay = createOutboxRelay({ pool, bus: unreachable, logger: countingLogger, maxBackoffMs: 200 })
    const event = userRegistered(`wait${randomUUID()}`)
    await relay.start()
    await withTransaction(pool, (tx) => enqueueEvents(tx, [event]))
    await waitFor(() => failedPublishes >= 1, { timeoutMs: 45_000, what: 'a failed publish' })
    await relay.stop()
    await unreachable.close().catch(() => {})
    const { rows } = await pool.query('SELECT event FROM outbox')
    expect(rows.map((r) => r.event.id)).toEqual([event.id])

    const bus = testBus()
    const received: EventEnvelope[] = []
    const consumer = await bus.subscribe({ group: `outbox-${randomUUID()}`, topics: [topics.users.name], handle: async (e) => { received.push(e) } })
    const relay2 = createOutboxRelay({ pool, bus, logger: silentLogger })
    try {
      await relay2.start()
      await waitFor(() => received.some((e) => e.id === event.id), { what: 'the delayed event' })
    } finally {
      await relay2.stop()
      await consumer.stop()
      await bus.close()
    }
  })
})
