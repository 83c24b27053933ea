import { JwtVerifyEnv } from '@starling/shared/auth'
import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv, RedisEnv, Url } from '@starling/shared/config'
import Type from 'typebox'

export const TweetConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...RedisEnv,
  ...JwtVerifyEnv,
  PORT: Port(3002),
  USER_LOOKUP_FALLBACK: Type.Boolean({
    default: true,
    description: 'ask the user service (a synchronous GET) about an author, a mentioned username or a listed user that the replica '
      + 'does not have yet (an account registered a moment ago, its user.registered event still on its way), and remember the answer. '
      + 'The cost: the tweet service then depends on the user service being up for accounts it has not seen yet '
      + '(503 TWT_USER_SERVICE_UNAVAILABLE with Retry-After while it is away). '
      + 'Off, only replicated accounts are known: a brand-new author gets 401 TWT_AUTHOR_UNKNOWN, and a mention of a brand-new account '
      + 'is left out of the tweet\'s mentions, until the event arrives',
  }),
  USER_SERVICE_URL: Url({ default: 'http://127.0.0.1:3001' }),
  TWEET_CACHE_SECONDS: Type.Integer({
    minimum: 1, default: 3600,
    description: 'how long Redis keeps a cached tweet, name, reader state or list page after it was read from Postgres; a change makes it stale at once whatever this is',
  }),
  USER_SERVICE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 2000, description: 'for each lookup of USER_LOOKUP_FALLBACK' }),
})
export type TweetConfig = Type.Static<typeof TweetConfigSchema>

export const loadTweetConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(TweetConfigSchema, env)
