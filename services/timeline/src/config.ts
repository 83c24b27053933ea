import { JwtVerifyEnv } from '@starling/shared/auth'
import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv } from '@starling/shared/config'
import Type from 'typebox'

export const TimelineConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...JwtVerifyEnv,
  PORT: Port(3004),
  TIMELINE_CELEBRITY_THRESHOLD: Type.Integer({ minimum: 1, default: 10_000, description: 'authors with this many followers are merged at read time instead of fanned out' }),
  TIMELINE_ACTIVE_DAYS: Type.Integer({ minimum: 1, default: 30, description: 'readers who have not read for this long get no fanout writes' }),
  TIMELINE_MAX_ENTRIES: Type.Integer({ minimum: 10, default: 800, description: 'entries kept per home timeline, and per author for merging at read time and backfill' }),
  // Not every partition it reads (36): its handlers hold Postgres connections (PG_POOL_MAX, 10) across several
  // statements. The fanout's p99 at 50 tweets/s was 990 and 1,635 ms in two bench runs at 36, 474-995 ms in five at 12.
  TIMELINE_FANOUT_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 12, description: 'partitions fanned out at once; order holds within each' }),
  TIMELINE_CACHE_HOURS: Type.Integer({ minimum: 1, default: 24, description: 'how long a cached tweet, name or reader\'s likes stay in Redis unread or unchanged' }),
  TIMELINE_VIEWER_LOAD: Type.Integer({ minimum: 10, default: 1000, description: 'a reader\'s newest likes (and retweets) cached for drawing their buttons; older ones are looked up in Postgres' }),
  TIMELINE_FANOUT_BATCH: Type.Integer({ minimum: 1, default: 500, description: 'followers written per Redis pipeline' }),
})
export type TimelineConfig = Type.Static<typeof TimelineConfigSchema>

export const loadTimelineConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(TimelineConfigSchema, env)
