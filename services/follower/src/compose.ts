import { csv } from '@starling/shared/config'
import { createPostgresPool } from '@starling/shared/db'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { servicePlatform, type Worker } from '@starling/shared/lifecycle'
import { createOutboxRelay, createPgUnitOfWork, outboxBacklog } from '@starling/shared/outbox'
import { createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import type { FollowerConfig } from './config.ts'
import { errors } from './errors.ts'
import { createGraphRepository } from './graph/graph.repository.ts'
import { createGraphService } from './graph/graph.service.ts'

const SERVICE = 'follower'

/**
 * The follower service's dependencies, built once per process: server.ts serves `graph` over
 * HTTP, worker.ts runs `worker` (the outbox relay and the user replica's consumer).
 */
export function compose(config: FollowerConfig, options: { logger?: Logger } = {}) {
  const platform = servicePlatform(SERVICE, config, options)
  const { logger, metrics } = platform
  const pool = createPostgresPool(config, logger)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })

  // A follow of someone who registered a moment ago must not be refused while the replica catches up.
  const users = createUserReplica(createReplicaRepository(pool), {
    lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.FLW_USER_SERVICE_UNAVAILABLE, logger }),
  })
  const graph = createGraphService({
    uow: createPgUnitOfWork(pool, (sql) => ({ graph: createGraphRepository(sql) })),
    graph: createGraphRepository(pool),
    users,
  })

  const relay = createOutboxRelay({ pool, bus, logger, metrics })
  const worker: Worker = {
    async start() {
      await relay.start()
      await bus.subscribe({ group: 'follower-users', topics: [topics.users.name], handle: users.handle })
    },
    stop: () => relay.stop(),
  }

  return {
    ...platform,
    graph,
    worker,
    checks: { postgres: () => pool.query('SELECT 1') },
    reports: { kafka: bus.ping, outbox: () => outboxBacklog(pool) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      await pool.end()
    },
  }
}
export type FollowerDeps = ReturnType<typeof compose>
