import { csv } from '@starling/shared/config'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Redis } from 'ioredis'
import type { Pool } from 'pg'
import type { Logger } from 'pino'
import { errors } from './errors.ts'
import type { Registry } from 'prom-client'
import { liveStoreOptions } from './app.ts'
import type { NotificationConfig } from './config.ts'
import { createNotificationHandler } from './notifications/notification.handler.ts'
import { createNotificationRepository } from './notifications/notification.repository.ts'
import { createLiveEventStore } from './realtime/live-event.store.ts'
import { createPushQueue } from './realtime/push-queue.ts'

/** Consumes users, the graph, tweets, engagements and messages into the inboxes, and pushes them live. */
export function createNotificationWorker(deps: { config: NotificationConfig; pool: Pool; redis: Redis; logger: Logger; metrics?: Registry }) {
  const { config, pool, logger } = deps
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: 'notification-service', logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) })
  const handle = createNotificationHandler({
    pool,
    notifications: createNotificationRepository(pool),
    users: createUserReplica(createReplicaRepository(pool), { lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.NTF_USER_SERVICE_UNAVAILABLE, logger }) }),
    pushes: createPushQueue({ pool, store: createLiveEventStore(deps.redis, liveStoreOptions(config)) }),
  })
  return {
    async start() {
      await bus.subscribe({
        group: 'notification-inbox',
        topics: [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name, topics.messages.name],
        handle,
        // Partitions are independent; what must stay in order (one tweet's likes, one person's graph
        // changes, one conversation) shares a partition.
        concurrency: 4,
      })
    },
    stop: () => bus.close(),
  }
}
