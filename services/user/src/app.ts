import { authOptions, authPlugin } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { postgresPlugin } from '@starling/shared/db'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import { outboxBacklog } from '@starling/shared/outbox'
import type { Logger } from 'pino'
import { authRoutes } from './auth/auth.routes.ts'
import { createAuthService } from './auth/auth.service.ts'
import { createPasswordHasher } from './auth/password-hasher.ts'
import { createRefreshTokenRepository } from './auth/refresh-token.repository.ts'
import { createTokenIssuer } from './auth/token-issuer.ts'
import type { UserConfig } from './config.ts'
import { createUserRepository } from './users/user.repository.ts'
import { userRoutes } from './users/user.routes.ts'
import { createUserService } from './users/user.service.ts'

export async function buildApp(config: UserConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'user',
    description: 'Accounts, sign-in and profiles. Publishes user events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'user-service'), outbox: () => outboxBacklog(app.pg.pool) },
  })
  await app.register(postgresPlugin, config)
  await app.register(authPlugin, authOptions(config))
  const pool = app.pg.pool
  const users = createUserRepository(pool)
  const passwords = createPasswordHasher({ concurrency: config.HASH_CONCURRENCY, queueMax: config.HASH_QUEUE_MAX })
  const issuer = createTokenIssuer({ privateKey: config.JWT_PRIVATE_KEY, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: config.JWT_ACCESS_TTL_SECONDS })
  await app.register(userRoutes, { users: createUserService({ pool, users, passwords }) })
  await app.register(authRoutes, {
    auth: createAuthService({ pool, users, refreshTokens: createRefreshTokenRepository(), passwords, issuer, refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS }),
  })
  return app
}
