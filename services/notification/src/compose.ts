import { csv } from '@starling/shared/config'
import { connectRedis, createPostgresPool } from '@starling/shared/db'
import { topics, type Consumer } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { servicePlatform, type Worker } from '@starling/shared/lifecycle'
import { createPgUnitOfWork } from '@starling/shared/outbox'
import { createRelationReplica, createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import { Counter, Gauge } from 'prom-client'
import { allowedOrigins, type NotificationConfig } from './config.ts'
import { errors } from './errors.ts'
import { createHomeAudience } from './home/home-audience.ts'
import { createHomeRepository } from './home/home.repository.ts'
import { CONSUMER, createNotificationHandler } from './notifications/notification.handler.ts'
import { createNotificationRepository } from './notifications/notification.repository.ts'
import { createNotificationService } from './notifications/notification.service.ts'
import { createLiveEventStore, createLiveFeed } from './realtime/live-event.store.ts'
import { createLiveHub } from './realtime/live-hub.ts'
import { createLivePushRepository } from './realtime/live-push.repository.ts'
import { createPresenceStore } from './realtime/presence.store.ts'
import { createPushQueue } from './realtime/push-queue.ts'

const SERVICE = 'notification'

/**
 * The notification service's dependencies, built once per process: server.ts serves the inboxes
 * and the live sockets (`notifications`, `live`) over HTTP, worker.ts runs `worker` (the consumer
 * that fills the inboxes and pushes notifications, messages and home-timeline tweets to the
 * sockets, through Redis, wherever they are held).
 */
export function compose(config: NotificationConfig, options: { logger?: Logger } = {}) {
  const platform = servicePlatform(SERVICE, config, options)
  const { logger, metrics } = platform
  const pool = createPostgresPool(config, logger)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })
  const redis = connectRedis(config.REDIS_URL, { maxRetriesPerRequest: 2 })
  const subscriber = connectRedis(config.REDIS_URL)
  for (const client of [redis, subscriber]) client.on('error', (error: Error) => logger.debug({ reason: error.message }, 'Redis unreachable'))

  const store = createLiveEventStore(redis, { maxEvents: config.WS_REPLAY_MAX_EVENTS, ttlSeconds: config.WS_REPLAY_TTL_SECONDS })
  const feed = createLiveFeed(subscriber)
  const presence = createPresenceStore(redis, { graceSeconds: config.WS_PRESENCE_GRACE_SECONDS })
  const hub = createLiveHub({
    feed, store, presence, logger,
    connection: { maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES, maxQueued: config.WS_REPLAY_MAX_EVENTS },
  })
  new Gauge({ name: 'ws_connections', help: 'Authenticated WebSocket connections on this instance.', registers: [metrics], collect() { this.set(hub.size) } })
  const closed = new Counter({ name: 'ws_closed_total', help: 'WebSocket connections closed, by close code.', labelNames: ['code'] as const, registers: [metrics] })

  // Actors are shown by name: one who registered a moment ago is looked up rather than shown blank.
  const users = createUserReplica(createReplicaRepository(pool), {
    lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.NTF_USER_SERVICE_UNAVAILABLE, logger }),
  })
  const handle = createNotificationHandler({
    uow: createPgUnitOfWork(pool, (sql) => ({
      notifications: createNotificationRepository(sql),
      relations: createRelationReplica(createReplicaRepository(sql), ['blocks', 'mutes']),
      home: createHomeRepository(sql),
      pushes: createLivePushRepository(sql),
    })),
    users,
    audience: createHomeAudience({ presence, home: createHomeRepository(pool) }),
    pushQueue: createPushQueue({ pushes: createLivePushRepository(pool), store }),
  })

  let consumer: Consumer | undefined
  const worker: Worker = {
    async start() {
      consumer = await bus.subscribe({
        group: CONSUMER,
        topics: [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name, topics.messages.name],
        handle,
        // Partitions are independent (what must stay in order, one tweet's likes, one person's graph
        // changes, one conversation, shares a partition): every one at once, the bus's default.
      })
    },
    stop: async () => { await consumer?.stop() },
  }

  return {
    ...platform,
    notifications: createNotificationService({ notifications: createNotificationRepository(pool) }),
    live: {
      hub,
      heartbeatMs: config.WS_HEARTBEAT_MS,
      session: {
        allowedOrigins: allowedOrigins(config),
        authTimeoutMs: config.WS_AUTH_TIMEOUT_MS,
        maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
        logger,
        onClose: (code: number) => closed.inc({ code: String(code) }),
      },
    },
    worker,
    checks: {
      postgres: () => pool.query('SELECT 1'),
      redis: async () => {
        await redis.ping()
        if (feed.status !== 'ready') throw new Error(`the live feed is ${feed.status}`)
      },
    },
    reports: { kafka: bus.ping },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await hub.close()
      await bus.close()
      await redis.quit().catch(() => redis.disconnect())
      await pool.end()
    },
  }
}
export type NotificationDeps = ReturnType<typeof compose>
