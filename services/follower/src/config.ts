import { JwtVerifyEnv } from '@starling/shared/auth'
import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv, Url } from '@starling/shared/config'
import Type from 'typebox'

export const FollowerConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...JwtVerifyEnv,
  PORT: Port(3003),
  USER_SERVICE_URL: Url({ default: 'http://127.0.0.1:3001' }),
  USER_SERVICE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 2000, description: 'for the lookup of a user not yet in the replica' }),
})
export type FollowerConfig = Type.Static<typeof FollowerConfigSchema>

export const loadFollowerConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(FollowerConfigSchema, env)
