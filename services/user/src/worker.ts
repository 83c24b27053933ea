import { createKafkaEventBus, createOutboxRelay, csv } from '@starling/shared'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { UserConfig } from './config.ts'

/** The user service's background work: relaying its outbox to Kafka. */
export function createUserWorker(deps: { config: UserConfig; pool: Pool; logger: Logger; metrics?: Registry }) {
  const bus = createKafkaEventBus({ brokers: csv(deps.config.KAFKA_BROKERS), clientId: 'user-service', logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) })
  const relay = createOutboxRelay({ pool: deps.pool, bus, logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) })
  return {
    start: () => relay.start(),
    async stop() {
      await relay.stop()
      await bus.close()
    },
  }
}
