import { HttpEnv, KafkaEnv, loadConfig, Port, RedisEnv } from '@starling/shared'
import Type from 'typebox'

export const TimelineConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...RedisEnv,
  PORT: Port(3004),
})
export type TimelineConfig = Type.Static<typeof TimelineConfigSchema>

export const loadTimelineConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(TimelineConfigSchema, env)
