import type { Pool, PoolClient } from 'pg'
import type { Logger } from 'pino'
import { Gauge, Histogram, type Registry } from 'prom-client'
import { topicOf } from '../events/catalog.ts'
import type { EventEnvelope } from '../events/envelope.ts'
import type { EventBus } from '../events/event-bus.ts'
import { releaseAfter } from '../db/transaction.ts'

const CHANNEL = 'starling_outbox'
// One relay publishes at a time per database, so events leave in commit order.
const RELAY_LOCK = 0x5354_4152

/**
 * Writes events in the caller's transaction: they are published if and only if it commits.
 * The NOTIFY is delivered at commit too, and wakes the relay at once.
 */
export async function enqueueEvents(tx: PoolClient, events: EventEnvelope[]) {
  if (events.length === 0) return
  // One statement (the rows and the notification), prepared once per connection.
  await tx.query({
    name: 'outbox-enqueue',
    text: `WITH queued AS (INSERT INTO outbox (topic, key, event) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) RETURNING 1)
           SELECT pg_notify('${CHANNEL}', '') FROM (SELECT 1 FROM queued LIMIT 1) AS any_row`,
    values: [events.map((e) => topicOf(e.type).name), events.map((e) => e.key), events.map((e) => JSON.stringify(e))],
  })
}

/**
 * A readiness report of the outbox: how many events wait and how long the oldest has. Down once
 * that is past `staleAfterSeconds` (Kafka away, or the relay stuck); the writes go on meanwhile.
 */
export async function outboxBacklog(pool: Pool, staleAfterSeconds = 30) {
  const { rows: [row] } = await pool.query<{ pending: number; oldest_seconds: number }>(
    'SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS oldest_seconds FROM outbox',
  )
  const details = { pending: row?.pending ?? 0, oldest_seconds: Math.round((row?.oldest_seconds ?? 0) * 10) / 10 }
  if (details.oldest_seconds > staleAfterSeconds) throw Object.assign(new Error(`events waiting for ${details.oldest_seconds} s`), { details })
  return details
}

export interface OutboxRelayOptions {
  pool: Pool
  bus: EventBus
  logger: Logger
  metrics?: Registry
  batchSize?: number
  /** Polling backstop in case a notification is missed. */
  pollIntervalMs?: number
  maxBackoffMs?: number
}

/**
 * Moves committed outbox rows to Kafka, oldest first, and deletes them once the brokers
 * acknowledged. If Kafka is down the rows wait and the relay backs off; nothing is lost. A crash
 * between publish and delete republishes, which consumers absorb by event id.
 */
export function createOutboxRelay(options: OutboxRelayOptions) {
  const { pool, bus, logger, batchSize = 500, pollIntervalMs = 1000, maxBackoffMs = 5000 } = options
  let running = false
  // Set by every NOTIFY: one that arrives while a drain is under way means another drain, now.
  let notified = false
  let wake: (() => void) | undefined
  let loop: Promise<void> | undefined
  let listener: { client: PoolClient; release: (error?: Error) => void } | undefined
  let reconnecting: Promise<void> | undefined

  const pending = options.metrics && new Gauge({
    name: 'outbox_pending_events', help: 'Events committed but not yet published to Kafka.', registers: [options.metrics],
  })

  // One hop of the pipeline: from the event's creation (in the transaction that wrote it) to Kafka
  // acknowledging it, which holds the commit, the relay's wake-up and the publish.
  const published = options.metrics && new Histogram({
    name: 'outbox_publish_delay_seconds',
    help: 'From an event being created (occurred_at) to the brokers acknowledging it, by topic.',
    labelNames: ['topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [options.metrics],
  })

  /** Publishes one batch; returns how many rows it moved. */
  async function drainOnce(): Promise<number> {
    notified = false
    const tx = await pool.connect()
    let failure: unknown
    let rolledBack = true
    try {
      await tx.query('BEGIN')
      const { rows: [lock] } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK])
      if (!lock?.locked) {
        await tx.query('ROLLBACK')
        return 0
      }
      const { rows } = await tx.query<{ seq: string; topic: string; event: EventEnvelope }>(
        'SELECT seq, topic, event FROM outbox ORDER BY seq LIMIT $1', [batchSize],
      )
      // Consecutive rows of one topic go in one request, keeping the overall order.
      for (let i = 0; i < rows.length;) {
        let j = i
        while (j < rows.length && rows[j]!.topic === rows[i]!.topic) j++
        const events = rows.slice(i, j).map((r) => r.event)
        await bus.publish(rows[i]!.topic, events)
        const now = Date.now()
        for (const event of events) published?.observe({ topic: rows[i]!.topic }, Math.max(0, now - Date.parse(event.occurred_at)) / 1000)
        i = j
      }
      if (rows.length > 0) await tx.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)])
      await tx.query('COMMIT')
      return rows.length
    } catch (error) {
      failure = error
      await tx.query('ROLLBACK').catch(() => { rolledBack = false })
      throw error
    } finally {
      releaseAfter(tx, failure, rolledBack)
    }
  }

  async function run() {
    let backoff = 100
    while (running) {
      try {
        const moved = await drainOnce()
        backoff = 100
        // A drain that took less than a batch emptied the outbox of what had committed: counted only
        // after a full batch, so an idle or keeping-up relay adds no statement per drain.
        if (pending) {
          if (moved < batchSize) pending.set(0)
          else pending.set(Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox')).rows[0]?.n ?? 0))
        }
        if (moved >= batchSize || notified) continue
        // A stop() during the drain found no wait to cut short: without this the loop would wait a
        // whole poll interval before it saw the stop.
        if (!running) return
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = undefined
      } catch (error) {
        if (!running) return
        logger.warn({ err: error, backoff_ms: backoff }, 'outbox relay could not publish; retrying')
        await new Promise((resolve) => setTimeout(resolve, backoff))
        backoff = Math.min(backoff * 2, maxBackoffMs)
      }
    }
  }

  /**
   * Holds the LISTEN connection. When the server ends it (a restart, a network cut) it reconnects
   * with backoff; the polling backstop keeps events moving meanwhile, and a drain follows each
   * reconnect for whatever was committed while nobody listened.
   */
  async function listen() {
    const client = await pool.connect()
    let released = false
    const release = (error?: Error) => {
      if (released) return
      released = true
      if (listener?.client === client) listener = undefined
      client.release(error)
    }
    const onLost = (error?: Error) => {
      const wasListening = listener?.client === client
      release(error ?? new Error('LISTEN connection ended'))
      if (!running || !wasListening) return
      logger.warn({ reason: error?.message ?? 'ended' }, 'outbox relay lost its LISTEN connection; reconnecting')
      reconnecting = reconnect()
    }
    client.on('error', onLost)
    client.on('end', () => onLost())
    client.on('notification', () => {
      notified = true
      wake?.()
    })
    try {
      await client.query(`LISTEN ${CHANNEL}`)
    } catch (error) {
      release(error as Error)
      throw error
    }
    listener = { client, release }
  }

  async function reconnect() {
    for (let backoff = 100; running && !listener; backoff = Math.min(backoff * 2, maxBackoffMs)) {
      await new Promise((resolve) => setTimeout(resolve, backoff))
      if (!running) return
      try {
        await listen()
        logger.info('outbox relay listening again')
        notified = true
        wake?.()
      } catch {
        // Still away: the next round tries again.
      }
    }
  }

  return {
    async start() {
      if (running) return
      running = true
      await listen()
      loop = run()
    },
    async stop() {
      running = false
      wake?.()
      await loop
      await reconnecting
      const current = listener
      if (current) {
        await current.client.query(`UNLISTEN ${CHANNEL}`).catch(() => {})
        current.release()
      }
    },
  }
}
export type OutboxRelay = ReturnType<typeof createOutboxRelay>
