import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv, RedisEnv } from '@starling/shared'
import Type from 'typebox'

export const NotificationConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...RedisEnv,
  PORT: Port(3006),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
})
export type NotificationConfig = Type.Static<typeof NotificationConfigSchema>

export const loadNotificationConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(NotificationConfigSchema, env)
