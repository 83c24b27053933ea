import fastifyPostgres from '@fastify/postgres'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { TweetConfig } from './config.ts'

export async function buildApp(config: TweetConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'tweet',
    description: 'Tweets, likes and retweets. Publishes tweet and engagement events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
  })
  await app.register(fastifyPostgres, { connectionString: config.DATABASE_URL, max: config.PG_POOL_MAX })
  return app
}
