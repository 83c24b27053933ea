import type { Pool, PoolClient } from 'pg'
import type { EventEnvelope } from '../events/envelope.ts'
import { withTransaction } from '../db/transaction.ts'
import { enqueueEvents } from './outbox.ts'

/** What a repository runs its SQL on: the pool, or the client of the transaction it takes part in. */
export type Sql = Pick<PoolClient, 'query'>

/** Where a unit of work puts the events its changes cause; they are published if and only if it commits. */
export interface EventSink {
  publish(...events: EventEnvelope[]): void
}

/**
 * The port a service's rules write through: `run` hands `work` the service's repositories, bound to
 * one transaction, and an event sink. The changes and the events commit together, or neither does.
 */
export interface UnitOfWork<Repos> {
  run<T>(work: (repos: Repos, events: EventSink) => Promise<T>): Promise<T>
}

/**
 * The PostgreSQL adapter: one transaction per run, the events written to the outbox in it (the
 * relay publishes them after the commit). `bind` builds the service's repositories on a client.
 */
export function createPgUnitOfWork<Repos>(pool: Pool, bind: (sql: Sql) => Repos): UnitOfWork<Repos> {
  return {
    run: (work) => withTransaction(pool, async (tx) => {
      const events: EventEnvelope[] = []
      const result = await work(bind(tx), { publish: (...more) => { events.push(...more) } })
      await enqueueEvents(tx, events)
      return result
    }),
  }
}

/**
 * The same unit of work, and after each commit `committed` is told the events it published, for
 * work that is worth doing at once but may be lost (a cache told of a change): whatever must not be
 * lost follows the events from Kafka as well. A failure of `committed` never fails the run.
 */
export function afterCommit<Repos>(uow: UnitOfWork<Repos>, committed: (events: EventEnvelope[]) => Promise<void>): UnitOfWork<Repos> {
  return {
    async run(work) {
      const events: EventEnvelope[] = []
      const result = await uow.run((repos, sink) => work(repos, { publish: (...more) => { events.push(...more); sink.publish(...more) } }))
      if (events.length > 0) await committed(events).catch(() => undefined)
      return result
    },
  }
}
