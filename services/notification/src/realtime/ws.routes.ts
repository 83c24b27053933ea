import type { FastifyPluginAsync } from 'fastify'
import { AppError, Problem } from '@starling/shared/errors'
import type { WebSocket } from 'ws'
import type { Sessions } from './ws-session.ts'

const upgradeRequired = () => new AppError(426, 'WS_UPGRADE_REQUIRED', 'Upgrade Required', {
  detail: 'Open a WebSocket here, then send {"type":"auth","token":"<access token>"} as the first message.',
  headers: { upgrade: 'websocket' },
})

/**
 * GET /ws: the realtime socket (the protocol is in ws-session.ts). Pings every `heartbeatMs`, and a
 * socket that has not answered the previous ping by the next one is cut off.
 */
export const realtimeRoutes: FastifyPluginAsync<{ sessions: Sessions; heartbeatMs: number }> = async (app, { sessions, heartbeatMs }) => {
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
  }, heartbeatMs)
  app.addHook('onClose', async () => clearInterval(heartbeat))

  app.route({
    method: 'GET',
    url: '/ws',
    schema: {
      summary: 'Realtime notifications and messages (WebSocket; 426 without the upgrade)',
      description: 'First message: {"type":"auth","token":"…","last_event_id"?:"…"}. Then {"type":"ready"}, the events missed since last_event_id, and live events {"type":"notification"|"message","id","data"}.',
      response: {
        101: { description: 'Switching Protocols: the WebSocket is open', type: 'null' },
        426: Problem,
      },
    },
    handler: async () => {
      throw upgradeRequired()
    },
    wsHandler: (socket, request) => {
      answered.add(socket)
      socket.on('pong', () => answered.add(socket))
      sessions.open(socket, request.headers.origin)
    },
  })
}
