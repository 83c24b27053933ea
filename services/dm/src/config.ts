import { JwtVerifyEnv } from '@starling/shared/auth'
import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv, Url } from '@starling/shared/config'
import Type from 'typebox'

export const DmConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...JwtVerifyEnv,
  PORT: Port(3007),
  USER_SERVICE_URL: Url({ default: 'http://127.0.0.1:3001' }),
  USER_SERVICE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 2000, description: 'for the lookup of a recipient not yet in the replica' }),
})
export type DmConfig = Type.Static<typeof DmConfigSchema>

export const loadDmConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(DmConfigSchema, env)
