import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv } from '@starling/shared'
import Type from 'typebox'

export const DmConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  PORT: Port(3007),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
})
export type DmConfig = Type.Static<typeof DmConfigSchema>

export const loadDmConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(DmConfigSchema, env)
