import fastifyRedis from '@fastify/redis'
import fastifyWebsocket from '@fastify/websocket'
import { authOptions, authPlugin, verifyAccessToken } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { postgresPlugin } from '@starling/shared/db'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import type { Logger } from 'pino'
import { Counter, Gauge } from 'prom-client'
import { allowedOrigins, type NotificationConfig } from './config.ts'
import { createNotificationRepository } from './notifications/notification.repository.ts'
import { notificationRoutes } from './notifications/notification.routes.ts'
import { createNotificationService } from './notifications/notification.service.ts'
import { CloseCode } from './realtime/close-codes.ts'
import { createLiveEventStore } from './realtime/live-event.store.ts'
import { createLiveHub } from './realtime/live-hub.ts'
import { realtimeRoutes } from './realtime/ws.routes.ts'
import { createSessions } from './realtime/ws-session.ts'

export const liveStoreOptions = (config: NotificationConfig) => ({ maxEvents: config.WS_REPLAY_MAX_EVENTS, ttlSeconds: config.WS_REPLAY_TTL_SECONDS })

export async function buildApp(config: NotificationConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'notification',
    description: 'Notification inboxes and the realtime WebSocket.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: {
      postgres: () => app.pg.query('SELECT 1'),
      redis: async () => {
        await app.redis.ping()
        if (subscriber.status !== 'ready') throw new Error(`the live subscriber is ${subscriber.status}`)
      },
    },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'notification-service') },
  })
  await app.register(postgresPlugin, config)
  await app.register(fastifyRedis, { url: config.REDIS_URL, maxRetriesPerRequest: 2 })
  await app.register(authPlugin, authOptions(config))
  await app.register(fastifyWebsocket, {
    // ws refuses a frame beyond this before buffering it (close 1009); messages over
    // WS_MAX_MESSAGE_BYTES but within it are refused by the session with 4009.
    options: { maxPayload: config.WS_MAX_MESSAGE_BYTES * 4 },
    preClose: async () => {
      for (const socket of app.websocketServer.clients) socket.close(CloseCode.goingAway, 'server shutting down; reconnect')
    },
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error }, 'websocket error')
      // A protocol error has already started the close (e.g. 1009); anything else ends it here.
      if (socket.readyState === socket.OPEN) socket.terminate()
    },
  })

  const store = createLiveEventStore(app.redis, liveStoreOptions(config))
  const subscriber = app.redis.duplicate()
  const hub = createLiveHub({
    subscriber, store, logger: app.log as Logger,
    connection: { maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES, maxQueued: config.WS_REPLAY_MAX_EVENTS },
  })
  app.addHook('onClose', () => hub.close())

  new Gauge({ name: 'ws_connections', help: 'Authenticated WebSocket connections on this instance.', registers: [app.metrics], collect() { this.set(hub.size) } })
  const closed = new Counter({ name: 'ws_closed_total', help: 'WebSocket connections closed, by close code.', labelNames: ['code'] as const, registers: [app.metrics] })
  const jwt = { ...authOptions(config), ...(app.revocations ? { revocations: app.revocations } : {}) }
  const sessions = createSessions({
    hub,
    verify: (token) => verifyAccessToken(token, jwt),
    allowedOrigins: allowedOrigins(config),
    authTimeoutMs: config.WS_AUTH_TIMEOUT_MS,
    maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
    logger: app.log as Logger,
    onClose: (code) => closed.inc({ code: String(code) }),
  })

  app.revocations?.onRevoked((sessionId) => sessions.revoke(sessionId))

  await app.register(notificationRoutes, { notifications: createNotificationService({ notifications: createNotificationRepository(app.pg.pool) }) })
  await app.register(realtimeRoutes, { sessions, heartbeatMs: config.WS_HEARTBEAT_MS })
  return app
}
