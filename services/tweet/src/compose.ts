import { csv } from '@starling/shared/config'
import { createPostgresPool, failFastRedis } from '@starling/shared/db'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus, kafkaProbe } from '@starling/shared/events/kafka'
import type { Worker } from '@starling/shared/lifecycle'
import { createLogger } from '@starling/shared/logging'
import { afterCommit, createOutboxRelay, createPgUnitOfWork, outboxBacklog } from '@starling/shared/outbox'
import { createMediaReplica, createMediaReplicaRepository, createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import type { TweetConfig } from './config.ts'
import { createEngagementRepository } from './engagements/engagement.repository.ts'
import { createEngagementService } from './engagements/engagement.service.ts'
import { errors } from './errors.ts'
import { createMediaRepository } from './media/media.repository.ts'
import { createTweetCache, redisCacheStore } from './tweets/tweet.cache.ts'
import { createCacheChanges } from './tweets/tweet.cache-changes.ts'
import { createTweetRepository } from './tweets/tweet.repository.ts'
import { createTweetService } from './tweets/tweet.service.ts'

const SERVICE = 'tweet'

/**
 * The tweet service's dependencies, built once per process: server.ts serves `tweets` and
 * `engagements` over HTTP, worker.ts runs `worker` (the outbox relay and the consumers of the user and media replicas and of the cache).
 */
export function compose(config: TweetConfig, options: { logger?: Logger } = {}) {
  const logger = options.logger ?? createLogger(SERVICE, config.LOG_LEVEL)
  const metrics = new Registry()
  const pool = createPostgresPool(config, logger)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })

  // USER_LOOKUP_FALLBACK (config.ts): whether an account the replica has not seen yet is asked of the user service.
  const users = createUserReplica(createReplicaRepository(pool), config.USER_LOOKUP_FALLBACK
    ? { lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.TWT_USER_SERVICE_UNAVAILABLE, logger }) }
    : {})
  const redis = failFastRedis(config.REDIS_URL, logger, 'tweet cache')
  const cache = createTweetCache(redisCacheStore(redis, logger), { seconds: config.TWEET_CACHE_SECONDS })
  const repository = createTweetRepository(pool)
  const cacheChanges = createCacheChanges({ cache, replyTargetOf: repository.replyTargetOf })
  // The cache hears of each change as it commits; the worker tells it again from the events (tweet-cache).
  const uow = afterCommit(
    createPgUnitOfWork(pool, (sql) => ({ tweets: createTweetRepository(sql), engagements: createEngagementRepository(sql), media: createMediaRepository(sql) })),
    (events) => cacheChanges.committed(events).catch((error: Error) => logger.warn({ reason: error.message }, 'tweet cache: change not applied yet, the worker applies it')),
  )
  const tweets = createTweetService({ uow, tweets: repository, engagements: createEngagementRepository(pool), users, cache })
  const engagements = createEngagementService({ uow })

  const relay = createOutboxRelay({ pool, bus, logger, metrics })
  const worker: Worker = {
    async start() {
      await relay.start()
      // A name changes in the replica first, then in the cache, so a fill after the version moved reads the new name.
      await bus.subscribe({ group: 'tweet-users', topics: [topics.users.name], handle: async (event) => {
        await users.handle(event)
        await cacheChanges.handle(event)
      } })
      // Who owns each upload and whether it is ready, for the pictures a tweet is posted with.
      await bus.subscribe({ group: 'tweet-media', topics: [topics.media.name], handle: createMediaReplica(createMediaReplicaRepository(pool)) })
      // Version bumps commute, so a fetched batch is applied all at once.
      await bus.subscribe({ group: 'tweet-cache', topics: [topics.tweets.name, topics.engagements.name], order: 'none', handle: cacheChanges.handle })
    },
    stop: () => relay.stop(),
  }

  return {
    service: SERVICE,
    config,
    logger,
    metrics,
    tweets,
    engagements,
    worker,
    checks: { postgres: () => pool.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), `${SERVICE}-service`), outbox: () => outboxBacklog(pool) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      redis.disconnect()
      await pool.end()
    },
  }
}
export type TweetDeps = ReturnType<typeof compose>
