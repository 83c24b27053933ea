import fastifyPostgres from '@fastify/postgres'
import fastifyRedis from '@fastify/redis'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { NotificationConfig } from './config.ts'

export async function buildApp(config: NotificationConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'notification',
    description: 'Notification inboxes and the realtime WebSocket.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1'), redis: () => app.redis.ping() },
  })
  await app.register(fastifyPostgres, { connectionString: config.DATABASE_URL, max: config.PG_POOL_MAX })
  await app.register(fastifyRedis, { url: config.REDIS_URL, maxRetriesPerRequest: 2 })
  return app
}
