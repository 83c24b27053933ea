import { createTokenVerifier, type AuthOptions } from '@starling/shared/auth'
import type { FastifyPluginAsync } from 'fastify'
import type { WebSocket } from 'ws'
import { errors } from '../errors.ts'
import type { LiveHub } from './live-hub.ts'
import { createSessions, type SessionOptions } from './ws-session.ts'

export interface RealtimeOptions {
  hub: LiveHub
  heartbeatMs: number
  /** The protocol's limits (see ws-session.ts); tokens are checked as the auth plugin checks them. */
  session: Omit<SessionOptions, 'hub' | 'verify'>
  auth: AuthOptions
}

/**
 * GET /ws: the realtime socket (the protocol is in ws-session.ts). Pings every `heartbeatMs`, and a
 * socket that has not answered the previous ping by the next one is cut off. A revoked login's
 * sockets are closed as soon as the auth plugin's revocation list hears of it.
 */
export const realtimeRoutes: FastifyPluginAsync<RealtimeOptions> = async (app, { hub, heartbeatMs, session, auth }) => {
  const jwt = { ...auth, ...(app.revocations ? { revocations: app.revocations } : {}) }
  const sessions = createSessions({ ...session, hub, verify: createTokenVerifier(jwt) })
  app.revocations?.onRevoked((sessionId) => sessions.revoke(sessionId))

  const answered = new WeakSet<WebSocket>()
  const heartbeat = setInterval(() => {
    for (const socket of app.websocketServer.clients) {
      if (!answered.has(socket)) {
        socket.terminate()
        continue
      }
      answered.delete(socket)
      socket.ping()
    }
    void hub.refreshPresence()
  }, heartbeatMs)
  app.addHook('onClose', async () => clearInterval(heartbeat))

  app.route({
    method: 'GET',
    url: '/ws',
    schema: {
      summary: 'Realtime notifications, messages and home-timeline tweets (WebSocket; 426 without the upgrade)',
      description: 'First message: {"type":"auth","token":"…","last_event_id"?:"…"}. Then {"type":"ready"}, the events missed since last_event_id, and live events {"type":"notification"|"message"|"tweet"|"tweet_deleted","id","data"} (see /docs/asyncapi.json).',
      response: {
        101: { description: 'Switching Protocols: the WebSocket is open', type: 'null' },
        ...errors.responses('WS_UPGRADE_REQUIRED'),
      },
    },
    handler: async () => {
      throw errors.WS_UPGRADE_REQUIRED('Open a WebSocket here, then send {"type":"auth","token":"<access token>"} as the first message.', { headers: { upgrade: 'websocket' } })
    },
    wsHandler: (socket, request) => {
      answered.add(socket)
      socket.on('pong', () => answered.add(socket))
      sessions.open(socket, request.headers.origin)
    },
  })
}
