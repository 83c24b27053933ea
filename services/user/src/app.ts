import fastifyPostgres from '@fastify/postgres'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { UserConfig } from './config.ts'
import { createPasswordHasher } from './users/password-hasher.ts'
import { createUserRepository } from './users/user.repository.ts'
import { userRoutes } from './users/user.routes.ts'
import { createUserService } from './users/user.service.ts'

export async function buildApp(config: UserConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'user',
    description: 'Accounts and profiles. Publishes user events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
  })
  await app.register(fastifyPostgres, { connectionString: config.DATABASE_URL, max: config.PG_POOL_MAX })
  const repository = createUserRepository(app.pg.pool)
  const users = createUserService({ pool: app.pg.pool, users: repository, passwords: createPasswordHasher() })
  await app.register(userRoutes, { users, repository })
  return app
}
