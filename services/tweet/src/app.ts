import { authOptions, authPlugin } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { postgresPlugin } from '@starling/shared/db'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import { outboxBacklog } from '@starling/shared/outbox'
import { createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import { errors } from './errors.ts'
import type { TweetConfig } from './config.ts'
import { createEngagementRepository } from './engagements/engagement.repository.ts'
import { engagementRoutes } from './engagements/engagement.routes.ts'
import { createEngagementService } from './engagements/engagement.service.ts'
import { createTweetRepository } from './tweets/tweet.repository.ts'
import { tweetRoutes } from './tweets/tweet.routes.ts'
import { createTweetService } from './tweets/tweet.service.ts'

export async function buildApp(config: TweetConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'tweet',
    description: 'Tweets, likes and retweets. Publishes tweet and engagement events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'tweet-service'), outbox: () => outboxBacklog(app.pg.pool) },
  })
  await app.register(postgresPlugin, config)
  await app.register(authPlugin, authOptions(config))
  const pool = app.pg.pool
  const users = createUserReplica(createReplicaRepository(pool), { lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.TWT_USER_SERVICE_UNAVAILABLE, logger: app.log as Logger }) })
  await app.register(tweetRoutes, { tweets: createTweetService({ pool, tweets: createTweetRepository(pool), users }) })
  await app.register(engagementRoutes, { engagements: createEngagementService({ pool, engagements: createEngagementRepository() }) })
  return app
}
