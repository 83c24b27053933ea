import { type AuthUser } from '@starling/shared/auth'
import { AppError } from '@starling/shared/errors'
import type { Logger } from 'pino'
import type { RawData, WebSocket } from 'ws'
import { byteLength, parseClientMessage, type AuthMessage } from './client-message.ts'
import { CloseCode } from './close-codes.ts'
import type { LiveConnection } from './live-connection.ts'
import type { LiveHub } from './live-hub.ts'

// setTimeout holds at most a signed 32-bit delay; longer waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1

/** When a token (already verified) stops being valid, in ms since the epoch; undefined if never. */
export function expiryOf(token: string): number | undefined {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }
  return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined
}

export interface SessionOptions {
  hub: Pick<LiveHub, 'attach' | 'detach'>
  /** Verifies an access token; throws a 401 AppError when it is not valid. */
  verify: (token: string) => AuthUser
  allowedOrigins: Set<string>
  authTimeoutMs: number
  maxMessageBytes: number
  logger: Logger
  onClose?: (code: number) => void
}

/**
 * The protocol of one socket: origin check, then an auth message within the timeout, then live
 * events until the client leaves, the token expires, its login is revoked or something goes wrong
 * (see CloseCode).
 */
export function createSessions(options: SessionOptions) {
  const { hub, verify, allowedOrigins, authTimeoutMs, maxMessageBytes, logger } = options
  // The open sockets of each login, to close when it is revoked.
  const byLogin = new Map<string, Set<() => void>>()

  return {
    /** Closes every socket of a revoked login (4001, AUTH_TOKEN_REVOKED). */
    revoke(sessionId: string) {
      for (const close of byLogin.get(sessionId) ?? []) close()
    },

    open(socket: WebSocket, origin: string | undefined) {
      // A browser always sends its page's origin; other clients send none and are let through.
      if (origin !== undefined && !allowedOrigins.has(origin)) {
        logger.info({ origin }, 'websocket from an origin not allowed')
        socket.on('close', (code) => options.onClose?.(code))
        socket.close(CloseCode.forbiddenOrigin, 'origin not allowed')
        return
      }

      let connection: LiveConnection | undefined
      let expiryTimer: NodeJS.Timeout | undefined
      let login: string | undefined
      const end = (code: number, reason: string) => (connection ? connection.close(code, reason) : socket.close(code, reason))
      const revoked = () => end(CloseCode.unauthorized, 'AUTH_TOKEN_REVOKED')
      /** Files this socket under the login of its current token. */
      const belongTo = (sessionId: string | undefined) => {
        if (login !== undefined) byLogin.get(login)?.delete(revoked)
        if (login !== undefined && byLogin.get(login)?.size === 0) byLogin.delete(login)
        login = sessionId
        if (sessionId === undefined) return
        const sockets = byLogin.get(sessionId) ?? new Set()
        sockets.add(revoked)
        byLogin.set(sessionId, sockets)
      }
      const authTimer = setTimeout(() => end(CloseCode.authTimeout, 'no auth message in time'), authTimeoutMs)

      socket.on('close', (code) => {
        clearTimeout(authTimer)
        clearTimeout(expiryTimer)
        belongTo(undefined)
        if (connection) hub.detach(connection)
        options.onClose?.(code)
      })

      /** Closes the socket when the token expires; a renewal moves the deadline. */
      function expireAt(at: number | undefined) {
        clearTimeout(expiryTimer)
        if (at === undefined) return
        const wait = at - Date.now()
        if (wait <= 0) return end(CloseCode.unauthorized, 'AUTH_TOKEN_EXPIRED')
        expiryTimer = setTimeout(() => expireAt(at), Math.min(wait, MAX_TIMER_MS))
      }

      function authenticate(message: AuthMessage) {
        let user: AuthUser
        try {
          user = verify(message.token)
        } catch (error) {
          if (!(error instanceof AppError)) throw error
          return end(CloseCode.unauthorized, error.code)
        }
        if (!connection) {
          clearTimeout(authTimer)
          connection = hub.attach(user.id, socket, message.last_event_id)
        } else if (user.id !== connection.userId) {
          return end(CloseCode.unauthorized, 'the new token is for another user')
        } else {
          connection.control({ type: 'auth_renewed' })
        }
        belongTo(user.sessionId)
        expireAt(expiryOf(message.token))
      }

      socket.on('message', (data: RawData, isBinary: boolean) => {
        if (socket.readyState !== socket.OPEN) return
        if (byteLength(data) > maxMessageBytes) return end(CloseCode.messageTooLarge, `messages are at most ${maxMessageBytes} bytes`)
        const parsed = parseClientMessage(data, isBinary)
        if ('error' in parsed) return end(CloseCode.invalidMessage, parsed.error)
        authenticate(parsed.message)
      })
    },
  }
}
export type Sessions = ReturnType<typeof createSessions>
