import fastifyRedis from '@fastify/redis'
import { authOptions, authPlugin } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { postgresPlugin } from '@starling/shared/db'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import type { Logger } from 'pino'
import type { TimelineConfig } from './config.ts'
import { createProjectionRepository } from './timelines/projection.repository.ts'
import { createTimelineMetrics } from './timelines/timeline.metrics.ts'
import { timelineRoutes } from './timelines/timeline.routes.ts'
import { createTimelineService } from './timelines/timeline.service.ts'
import { createTimelineStore } from './timelines/timeline.store.ts'

export const storeOptions = (config: TimelineConfig) => ({
  maxEntries: config.TIMELINE_MAX_ENTRIES,
  activeSeconds: config.TIMELINE_ACTIVE_DAYS * 86_400,
  batch: config.TIMELINE_FANOUT_BATCH,
})

export async function buildApp(config: TimelineConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'timeline',
    description: 'Home timelines: hybrid fanout into Redis sorted sets, high-follower authors merged at read time.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { redis: () => app.redis.ping(), postgres: () => app.pg.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'timeline-service') },
  })
  // Auto-pipelining sends the commands of concurrent requests in one write: on a busy machine the
  // system calls, not Redis, are the cost (https://github.com/redis/ioredis#autopipelining).
  await app.register(fastifyRedis, { url: config.REDIS_URL, maxRetriesPerRequest: 2, enableAutoPipelining: true })
  await app.register(postgresPlugin, config)
  await app.register(authPlugin, authOptions(config))
  const metrics = createTimelineMetrics(app.metrics)
  app.decorate('timelineMetrics', metrics)
  const store = createTimelineStore(app.redis, storeOptions(config))
  // Redis may come back from a crash without its last second of writes (appendfsync everysec):
  // each (re)connection checks, and a restart makes every timeline rebuild on its next read.
  const noticeRestart = () => store.noticeRestart()
    .then((restarted) => { if (restarted) app.log.warn('Redis restarted: home timelines and author sets are rebuilt as they are read') })
    .catch((error: Error) => app.log.warn({ reason: error.message }, 'could not tell whether Redis restarted'))
  app.redis.on('ready', noticeRestart)
  app.addHook('onReady', noticeRestart)
  const timelines = createTimelineService({
    projection: createProjectionRepository(app.pg.pool),
    store,
    metrics,
    celebrityThreshold: config.TIMELINE_CELEBRITY_THRESHOLD,
    maxEntries: config.TIMELINE_MAX_ENTRIES,
  })
  await app.register(timelineRoutes, { timelines })
  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    timelineMetrics: ReturnType<typeof createTimelineMetrics>
  }
}
