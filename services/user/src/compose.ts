import { csv } from '@starling/shared/config'
import { createPostgresPool, failFastRedis } from '@starling/shared/db'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { servicePlatform, type Worker } from '@starling/shared/lifecycle'
import { createOutboxRelay, createPgUnitOfWork, outboxBacklog } from '@starling/shared/outbox'
import { createMediaReplica, createMediaReplicaRepository } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import { createAuthService } from './auth/auth.service.ts'
import { createPasswordHasher } from './auth/password-hasher.ts'
import { createRefreshTokenRepository } from './auth/refresh-token.repository.ts'
import { createRevocationHandler } from './auth/revocation.handler.ts'
import { createRevocationStore } from './auth/revocation.store.ts'
import { createTokenIssuer } from './auth/token-issuer.ts'
import type { UserConfig } from './config.ts'
import { createProcessedEventRepository } from './users/processed-event.repository.ts'
import { createProfileCountsHandler } from './users/profile-counts.handler.ts'
import { createUserRepository } from './users/user.repository.ts'
import { createUserService } from './users/user.service.ts'

const SERVICE = 'user'

/**
 * The user service's dependencies, built once per process: server.ts serves `users` and `auth`
 * over HTTP, worker.ts runs `worker` (the outbox relay, profile counts from graph and tweet
 * events, and revoked logins into the list every service checks tokens against).
 */
export function compose(config: UserConfig, options: { logger?: Logger } = {}) {
  const platform = servicePlatform(SERVICE, config, options)
  const { logger, metrics } = platform
  const pool = createPostgresPool(config, logger)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })
  // Commands fail at once while Redis is away, so the bus retries the event instead of waiting here.
  const redis = failFastRedis(config.REDIS_URL, logger, 'revoked logins')

  const uow = createPgUnitOfWork(pool, (sql) => ({
    users: createUserRepository(sql),
    refreshTokens: createRefreshTokenRepository(sql),
    processedEvents: createProcessedEventRepository(sql),
  }))
  const accounts = createUserRepository(pool)
  const passwords = createPasswordHasher({ concurrency: config.HASH_CONCURRENCY, queueMax: config.HASH_QUEUE_MAX })
  const issuer = createTokenIssuer({ privateKey: config.JWT_PRIVATE_KEY, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: config.JWT_ACCESS_TTL_SECONDS })
  const users = createUserService({ uow, users: accounts, media: createMediaReplicaRepository(pool), passwords })
  const auth = createAuthService({ uow, users: accounts, passwords, issuer, refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS, reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS })

  const relay = createOutboxRelay({ pool, bus, logger, metrics })
  const profileCounts = createProfileCountsHandler({ uow })
  const revocations = createRevocationHandler({ revocations: createRevocationStore(redis) })
  const worker: Worker = {
    async start() {
      await relay.start()
      await bus.subscribe({ group: 'user-profile-counts', topics: [topics.graph.name, topics.tweets.name], handle: profileCounts })
      await bus.subscribe({ group: 'user-media', topics: [topics.media.name], handle: createMediaReplica(createMediaReplicaRepository(pool)) })
      await bus.subscribe({ group: 'user-session-revocations', topics: [topics.sessions.name], handle: revocations })
    },
    stop: () => relay.stop(),
  }

  return {
    ...platform,
    users,
    auth,
    worker,
    checks: { postgres: () => pool.query('SELECT 1') },
    reports: { kafka: bus.ping, outbox: () => outboxBacklog(pool) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      redis.disconnect()
      await pool.end()
    },
  }
}
export type UserDeps = ReturnType<typeof compose>
