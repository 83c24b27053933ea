import fastifyWebsocket from '@fastify/websocket'
import { authOptions } from '@starling/shared/auth'
import { createApiApp } from '@starling/shared/http'
import type { NotificationDeps } from './compose.ts'
import { errors } from './errors.ts'
import { notificationRoutes } from './notifications/notification.routes.ts'
import { CloseCode } from './realtime/close-codes.ts'
import { realtimeRoutes } from './realtime/ws.routes.ts'

/** The notification service's HTTP API and its WebSocket over its dependencies; closing it closes them. */
export async function buildApp(deps: NotificationDeps) {
  const app = await createApiApp(deps, {
    description: 'Notification inboxes and the realtime WebSocket.',
    errors,
  })
  const auth = authOptions(deps.config)
  await app.register(fastifyWebsocket, {
    // ws refuses a frame beyond this before buffering it (close 1009); messages over
    // WS_MAX_MESSAGE_BYTES but within it are refused by the session with 4009.
    options: { maxPayload: deps.config.WS_MAX_MESSAGE_BYTES * 4 },
    preClose: async () => {
      for (const socket of app.websocketServer.clients) socket.close(CloseCode.goingAway, 'server shutting down; reconnect')
    },
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error }, 'websocket error')
      // A protocol error has already started the close (e.g. 1009); anything else ends it here.
      if (socket.readyState === socket.OPEN) socket.terminate()
    },
  })
  await app.register(notificationRoutes, { notifications: deps.notifications })
  await app.register(realtimeRoutes, { ...deps.live, auth })
  return app
}
