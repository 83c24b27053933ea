import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv } from '@starling/shared'
import Type from 'typebox'

export const FollowerConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  PORT: Port(3003),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
})
export type FollowerConfig = Type.Static<typeof FollowerConfigSchema>

export const loadFollowerConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(FollowerConfigSchema, env)
