import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv } from '@starling/shared'
import Type from 'typebox'

export const TweetConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  PORT: Port(3002),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
})
export type TweetConfig = Type.Static<typeof TweetConfigSchema>

export const loadTweetConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(TweetConfigSchema, env)
