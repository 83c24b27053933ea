import { csv } from '@starling/shared/config'
import { failFastRedis } from '@starling/shared/db'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { createOutboxRelay } from '@starling/shared/outbox'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createRevocationHandler } from './auth/revocation.handler.ts'
import type { UserConfig } from './config.ts'
import { createProfileCountsHandler } from './users/profile-counts.handler.ts'
import { createUserRepository } from './users/user.repository.ts'

/**
 * The user service's background work: relaying its outbox, profile counts from graph and tweet
 * events, and revoked logins into the list every service checks tokens against.
 */
export function createUserWorker(deps: { config: UserConfig; pool: Pool; logger: Logger; metrics?: Registry }) {
  const metrics = deps.metrics ? { metrics: deps.metrics } : {}
  const bus = createKafkaEventBus({ brokers: csv(deps.config.KAFKA_BROKERS), clientId: 'user-service', logger: deps.logger, ...metrics })
  const relay = createOutboxRelay({ pool: deps.pool, bus, logger: deps.logger, ...metrics })
  const profileCounts = createProfileCountsHandler({ pool: deps.pool, users: createUserRepository(deps.pool) })
  // Commands fail at once while Redis is away, so the bus retries the event instead of waiting here.
  const redis = failFastRedis(deps.config.REDIS_URL, deps.logger, 'revoked logins')
  return {
    async start() {
      await relay.start()
      await bus.subscribe({ group: 'user-profile-counts', topics: [topics.graph.name, topics.tweets.name], handle: profileCounts })
      await bus.subscribe({ group: 'user-session-revocations', topics: [topics.sessions.name], handle: createRevocationHandler({ redis }) })
    },
    async stop() {
      await relay.stop()
      await bus.close()
      redis.disconnect()
    },
  }
}
