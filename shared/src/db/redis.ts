import { Redis } from 'ioredis'
import type { Logger } from 'pino'

/**
 * A Redis client for work that must not wait for Redis: no offline queue, one attempt, a short
 * command timeout. While Redis is away each command fails at once (a transient error), and the
 * client reconnects by itself. Commands issued in one tick go out in one write (auto-pipelining),
 * as every request's rate-limit, revocation and cache lookups do.
 */
export function failFastRedis(url: string, logger: Pick<Logger, 'debug'>, purpose: string) {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, enableAutoPipelining: true })
  redis.on('error', (error: Error) => logger.debug({ reason: error.message, purpose }, 'Redis unreachable'))
  return redis
}

/** A Redis client for subscriptions: it queues them while connecting, and subscribes again after a reconnect. */
export function subscriberRedis(url: string, logger: Pick<Logger, 'debug'>, purpose: string) {
  const redis = new Redis(url)
  redis.on('error', (error: Error) => logger.debug({ reason: error.message, purpose }, 'Redis unreachable'))
  return redis
}
