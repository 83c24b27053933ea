import fastifyPostgres from '@fastify/postgres'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { FollowerConfig } from './config.ts'

export async function buildApp(config: FollowerConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'follower',
    description: 'The social graph: follows, blocks and mutes. Publishes graph events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
  })
  await app.register(fastifyPostgres, { connectionString: config.DATABASE_URL, max: config.PG_POOL_MAX })
  return app
}
