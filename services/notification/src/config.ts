import { JwtVerifyEnv } from '@starling/shared/auth'
import { csv, HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv, Url } from '@starling/shared/config'
import Type from 'typebox'

export const NotificationConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...JwtVerifyEnv,
  PORT: Port(3006),
  USER_SERVICE_URL: Url({ default: 'http://127.0.0.1:3001' }),
  USER_SERVICE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 2000, description: 'for the lookup of an actor not yet in the replica' }),
  WS_ALLOWED_ORIGINS: Type.String({
    default: 'http://127.0.0.1:8080,http://localhost:8080',
    description: 'comma-separated browser origins allowed to open /ws; a request without Origin (not a browser) is always allowed',
  }),
  WS_AUTH_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000, description: 'time a new socket has to send its auth message' }),
  WS_HEARTBEAT_MS: Type.Integer({ minimum: 100, default: 15_000, description: 'ping interval; a socket that has not answered the previous ping is dropped' }),
  WS_MAX_MESSAGE_BYTES: Type.Integer({ minimum: 256, default: 4096, description: 'largest message a client may send' }),
  WS_MAX_BUFFERED_BYTES: Type.Integer({ minimum: 1024, default: 1024 * 1024, description: 'unsent bytes a socket may hold before it is dropped as too slow' }),
  WS_REPLAY_MAX_EVENTS: Type.Integer({ minimum: 1, default: 500, description: 'events kept per user for replay after a reconnect' }),
  WS_PRESENCE_GRACE_SECONDS: Type.Integer({
    minimum: 1, default: 60,
    description: 'how long a user counts as present (new tweets pushed to them) after their last socket was seen; well above WS_HEARTBEAT_MS, at which it is renewed',
  }),
  WS_REPLAY_TTL_SECONDS: Type.Integer({ minimum: 1, default: 86_400, description: 'how long an event is kept for replay' }),
})
export type NotificationConfig = Type.Static<typeof NotificationConfigSchema>

export const loadNotificationConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(NotificationConfigSchema, env)

export const allowedOrigins = (config: NotificationConfig) => new Set(csv(config.WS_ALLOWED_ORIGINS))
