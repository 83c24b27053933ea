import fastifyPostgres from '@fastify/postgres'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { DmConfig } from './config.ts'

export async function buildApp(config: DmConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'dm',
    description: 'Direct messages between two people.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
  })
  await app.register(fastifyPostgres, { connectionString: config.DATABASE_URL, max: config.PG_POOL_MAX })
  return app
}
