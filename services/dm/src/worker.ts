import { csv } from '@starling/shared/config'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { createOutboxRelay } from '@starling/shared/outbox'
import { createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import { errors } from './errors.ts'
import type { Registry } from 'prom-client'
import { createBlockReplica } from './blocks/block-replica.ts'
import type { DmConfig } from './config.ts'

/** The dm service's background work: relaying its outbox to Kafka, and the user and block replicas. */
export function createDmWorker(deps: { config: DmConfig; pool: Pool; logger: Logger; metrics?: Registry }) {
  const { config, pool, logger } = deps
  const metrics = deps.metrics ? { metrics: deps.metrics } : {}
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: 'dm-service', logger, ...metrics })
  const relay = createOutboxRelay({ pool, bus, logger, ...metrics })
  const users = createUserReplica(createReplicaRepository(pool), { lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.DM_USER_SERVICE_UNAVAILABLE, logger }) })
  const blocks = createBlockReplica(pool)
  return {
    async start() {
      await relay.start()
      await bus.subscribe({
        group: 'dm-replicas',
        topics: [topics.users.name, topics.graph.name],
        handle: async (event) => {
          await users.handle(event)
          await blocks.handle(event)
        },
      })
    },
    async stop() {
      await relay.stop()
      await bus.close()
    },
  }
}
