import { csv } from '@starling/shared/config'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { createOutboxRelay } from '@starling/shared/outbox'
import { createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import { errors } from './errors.ts'
import type { Registry } from 'prom-client'
import type { TweetConfig } from './config.ts'

/** The tweet service's background work: relaying its outbox to Kafka, and the user replica. */
export function createTweetWorker(deps: { config: TweetConfig; pool: Pool; logger: Logger; metrics?: Registry }) {
  const metrics = deps.metrics ? { metrics: deps.metrics } : {}
  const bus = createKafkaEventBus({ brokers: csv(deps.config.KAFKA_BROKERS), clientId: 'tweet-service', logger: deps.logger, ...metrics })
  const relay = createOutboxRelay({ pool: deps.pool, bus, logger: deps.logger, ...metrics })
  const replica = createUserReplica(createReplicaRepository(deps.pool), { lookup: userServiceLookup({ userServiceUrl: deps.config.USER_SERVICE_URL, unavailable: errors.TWT_USER_SERVICE_UNAVAILABLE }) })
  return {
    async start() {
      await relay.start()
      await bus.subscribe({ group: 'tweet-users', topics: [topics.users.name], handle: (event) => replica.handle(event) })
    },
    async stop() {
      await relay.stop()
      await bus.close()
    },
  }
}
