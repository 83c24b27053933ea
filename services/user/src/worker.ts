import { createKafkaEventBus, createOutboxRelay, csv, topics } from '@starling/shared'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { UserConfig } from './config.ts'
import { createProfileCountsHandler } from './users/profile-counts.handler.ts'
import { createUserRepository } from './users/user.repository.ts'

/** The user service's background work: relaying its outbox, and profile counts from graph and tweet events. */
export function createUserWorker(deps: { config: UserConfig; pool: Pool; logger: Logger; metrics?: Registry }) {
  const metrics = deps.metrics ? { metrics: deps.metrics } : {}
  const bus = createKafkaEventBus({ brokers: csv(deps.config.KAFKA_BROKERS), clientId: 'user-service', logger: deps.logger, ...metrics })
  const relay = createOutboxRelay({ pool: deps.pool, bus, logger: deps.logger, ...metrics })
  const profileCounts = createProfileCountsHandler({ pool: deps.pool, users: createUserRepository(deps.pool) })
  return {
    async start() {
      await relay.start()
      await bus.subscribe({ group: 'user-profile-counts', topics: [topics.graph.name, topics.tweets.name], handle: profileCounts })
    },
    async stop() {
      await relay.stop()
      await bus.close()
    },
  }
}
