import { csv } from '@starling/shared/config'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import type { Redis } from 'ioredis'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { storeOptions } from './app.ts'
import type { TimelineConfig } from './config.ts'
import { createFanoutHandler } from './timelines/fanout.handler.ts'
import { createProjectionRepository } from './timelines/projection.repository.ts'
import type { TimelineMetrics } from './timelines/timeline.metrics.ts'
import { createTimelineStore } from './timelines/timeline.store.ts'

/** Consumes users, graph, tweets and engagements into the projection and the Redis timelines. */
export function createTimelineWorker(deps: { config: TimelineConfig; pool: Pool; redis: Redis; logger: Logger; registry: Registry; metrics: TimelineMetrics }) {
  const { config } = deps
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: 'timeline-service', logger: deps.logger, metrics: deps.registry })
  const handle = createFanoutHandler({
    projection: createProjectionRepository(deps.pool),
    store: createTimelineStore(deps.redis, storeOptions(config)),
    metrics: deps.metrics,
    celebrityThreshold: config.TIMELINE_CELEBRITY_THRESHOLD,
    maxEntries: config.TIMELINE_MAX_ENTRIES,
  })
  return {
    async start() {
      await bus.subscribe({
        group: 'timeline-fanout',
        topics: [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name],
        handle,
        // Partitions are independent, and so are keys within one: a conversation's, an actor's or a
        // tweet's events stay in order, which is all the handler relies on.
        concurrency: config.TIMELINE_FANOUT_CONCURRENCY,
        order: 'key',
      })
    },
    stop: () => bus.close(),
  }
}
