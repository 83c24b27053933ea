import fastifyRedis from '@fastify/redis'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { TimelineConfig } from './config.ts'

export async function buildApp(config: TimelineConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'timeline',
    description: 'Home timelines: hybrid fanout into Redis sorted sets.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { redis: () => app.redis.ping() },
  })
  await app.register(fastifyRedis, { url: config.REDIS_URL, maxRetriesPerRequest: 2 })
  return app
}
