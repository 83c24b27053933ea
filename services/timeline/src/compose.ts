import { csv } from '@starling/shared/config'
import { connectRedis, createPostgresPool } from '@starling/shared/db'
import { topics, type Consumer } from '@starling/shared/events'
import { createKafkaEventBus, kafkaProbe } from '@starling/shared/events/kafka'
import type { Worker } from '@starling/shared/lifecycle'
import { createLogger } from '@starling/shared/logging'
import { createPgUnitOfWork } from '@starling/shared/outbox'
import { createRelationReplica, createReplicaRepository, createUserReplica } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import type { TimelineConfig } from './config.ts'
import { CONSUMER, createFanoutHandler, type ProjectionWrites } from './timelines/fanout.handler.ts'
import { createProjectionRepository } from './timelines/projection.repository.ts'
import { createTimelineCache } from './timelines/timeline.cache.ts'
import { createTimelineMetrics } from './timelines/timeline.metrics.ts'
import { createTimelineService } from './timelines/timeline.service.ts'
import { createTimelineStore } from './timelines/timeline.store.ts'

const SERVICE = 'timeline'

/**
 * The timeline service's dependencies, built once per process: server.ts serves `timelines` over
 * HTTP, worker.ts runs `worker` (the fanout consumer of users, graph, tweets and engagements).
 */
export function compose(config: TimelineConfig, options: { logger?: Logger } = {}) {
  const logger = options.logger ?? createLogger(SERVICE, config.LOG_LEVEL)
  const metrics = new Registry()
  const pool = createPostgresPool(config, logger)
  // Auto-pipelining sends the commands of concurrent requests in one write: on a busy machine the
  // system calls, not Redis, are the cost (https://github.com/redis/ioredis#autopipelining).
  const redis = connectRedis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true })
  redis.on('error', (error: Error) => logger.debug({ reason: error.message }, 'Redis unreachable'))
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })

  const timelineMetrics = createTimelineMetrics(metrics)
  const store = createTimelineStore(redis, {
    maxEntries: config.TIMELINE_MAX_ENTRIES,
    activeSeconds: config.TIMELINE_ACTIVE_DAYS * 86_400,
    batch: config.TIMELINE_FANOUT_BATCH,
  })
  // Redis may come back from a crash without its last second of writes (appendfsync everysec), and
  // a cluster's replica promoted in a master's place without the writes it had not yet received:
  // each (re)connection and each change of a cluster's nodes checks, and a restart or a failover
  // makes every timeline rebuild on its next read.
  const noticeRestart = () => {
    store.noticeRestart()
      .then((restarted) => { if (restarted) logger.warn('Redis restarted or failed over: home timelines and author sets are rebuilt as they are read') })
      .catch((error: Error) => logger.warn({ reason: error.message }, 'could not tell whether Redis restarted'))
  }
  redis.on('ready', noticeRestart)
  redis.on('refresh', noticeRestart)
  void store.watch()

  const cache = createTimelineCache(redis, { seconds: config.TIMELINE_CACHE_HOURS * 3600, viewerLoad: config.TIMELINE_VIEWER_LOAD })
  const projection = createProjectionRepository(pool)
  const settings = { celebrityThreshold: config.TIMELINE_CELEBRITY_THRESHOLD, maxEntries: config.TIMELINE_MAX_ENTRIES }
  const timelines = createTimelineService({ projection, store, cache, metrics: timelineMetrics, ...settings })
  // Each event's changes to the projection and the replicas commit in one transaction.
  const uow = createPgUnitOfWork(pool, (sql): ProjectionWrites => {
    const replicas = createReplicaRepository(sql)
    return { projection: createProjectionRepository(sql), users: createUserReplica(replicas), relations: createRelationReplica(replicas, ['blocks', 'mutes']) }
  })
  const handle = createFanoutHandler({ uow, projection, store, cache, metrics: timelineMetrics, ...settings })

  let consumer: Consumer | undefined
  const worker: Worker = {
    async start() {
      consumer = await bus.subscribe({
        group: CONSUMER,
        topics: [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name],
        handle,
        // Partitions are independent, and so are keys within one: a conversation's, an actor's or a
        // tweet's events stay in order, which is all the handler relies on.
        concurrency: config.TIMELINE_FANOUT_CONCURRENCY,
        order: 'key',
      })
    },
    stop: async () => { await consumer?.stop() },
  }

  return {
    service: SERVICE,
    config,
    logger,
    metrics,
    timelines,
    worker,
    checks: { redis: () => redis.ping(), postgres: () => pool.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), `${SERVICE}-service`) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      store.stop()
      redis.disconnect()
      await pool.end()
    },
  }
}
export type TimelineDeps = ReturnType<typeof compose>
