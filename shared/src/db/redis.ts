import { Cluster, Redis, type RedisOptions } from 'ioredis'
import type { Logger } from 'pino'

/**
 * A standalone Redis or a Redis Cluster: every store takes either. On a cluster, keys a script or
 * a MULTI touches together share a hash tag (`{…}`), reads of many keys go through `getMany`,
 * and a batch is many commands auto-pipelined (one write per node) rather than a `pipeline()`,
 * which a cluster confines to one node.
 */
export type RedisClient = Redis | Cluster

/**
 * Connects to REDIS_URL: one URL is a standalone Redis; several, comma-separated, are seed nodes
 * of a Redis Cluster (ioredis finds the rest and follows slots as they move).
 */
export function connectRedis(urls: string, options: RedisOptions = {}): RedisClient {
  const list = urls.split(',').map((url) => url.trim()).filter(Boolean)
  if (list.length === 1) return new Redis(list[0]!, options)
  const { enableOfflineQueue, enableAutoPipelining, ...redisOptions } = options
  return new Cluster(list.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port || 6379) })), {
    redisOptions,
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    // A failover moves slots: ask again soon rather than after the default second.
    slotsRefreshTimeout: 2000,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
  })
}

/**
 * A Redis client for work that must not wait for Redis: no offline queue, one attempt, a short
 * command timeout. While Redis is away each command fails at once (a transient error), and the
 * client reconnects by itself. Commands issued in one tick go out in one write (auto-pipelining),
 * as every request's rate-limit, revocation and cache lookups do.
 */
export function failFastRedis(url: string, logger: Pick<Logger, 'debug'>, purpose: string) {
  const redis = connectRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, enableAutoPipelining: true })
  redis.on('error', (error: Error) => logger.debug({ reason: error.message, purpose }, 'Redis unreachable'))
  return redis
}

/** A Redis client for subscriptions: it queues them while connecting, and subscribes again after a reconnect. */
export function subscriberRedis(url: string, logger: Pick<Logger, 'debug'>, purpose: string) {
  const redis = connectRedis(url)
  redis.on('error', (error: Error) => logger.debug({ reason: error.message, purpose }, 'Redis unreachable'))
  return redis
}

/** The values of `keys`, in order: one MGET on a standalone Redis; on a cluster, where keys of other slots cannot share an MGET, one GET each, auto-pipelined per node. */
export function getMany(redis: RedisClient, keys: string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return Promise.resolve([])
  if (redis instanceof Cluster) return Promise.all(keys.map((key) => redis.get(key)))
  return redis.mget(keys)
}

/** Whether `redis` is a Redis Cluster client. */
export const isCluster = (redis: RedisClient): redis is Cluster => redis instanceof Cluster

/**
 * The Redis servers holding data now: the one, or each master of a cluster; none while the client
 * is not ready. A cluster client still connecting lists its seed nodes as masters, and a command
 * sent to them then closes its connections and makes it start over: a process that kept asking
 * (a worker retrying its events) never got connected.
 */
export function masters(redis: RedisClient): Redis[] {
  if (redis.status !== 'ready') return []
  return redis instanceof Cluster ? redis.nodes('master') : [redis]
}
