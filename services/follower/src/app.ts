import { authOptions, authPlugin } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { postgresPlugin } from '@starling/shared/db'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import { outboxBacklog } from '@starling/shared/outbox'
import { createUserReplica } from '@starling/shared/users'
import type { Logger } from 'pino'
import type { FollowerConfig } from './config.ts'
import { createGraphRepository } from './graph/graph.repository.ts'
import { graphRoutes } from './graph/graph.routes.ts'
import { createGraphService } from './graph/graph.service.ts'

export async function buildApp(config: FollowerConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'follower',
    description: 'The social graph: follows, blocks and mutes. Publishes graph events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'follower-service'), outbox: () => outboxBacklog(app.pg.pool) },
  })
  await app.register(postgresPlugin, config)
  await app.register(authPlugin, authOptions(config))
  const users = createUserReplica({
    pool: app.pg.pool, userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS,
    unavailableCode: 'FLW_USER_SERVICE_UNAVAILABLE', logger: app.log as Logger,
  })
  const graph = createGraphService({ pool: app.pg.pool, graph: createGraphRepository(app.pg.pool), users })
  await app.register(graphRoutes, { graph })
  return app
}
