import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv } from '@starling/shared'
import Type from 'typebox'

export const UserConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  PORT: Port(3001),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  WORKER_ENABLED: Type.Boolean({ default: true, description: 'run the outbox relay in this process' }),
})
export type UserConfig = Type.Static<typeof UserConfigSchema>

export const loadUserConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(UserConfigSchema, env)
