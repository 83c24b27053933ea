import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { failFastRedis, type RedisClient } from '../db/redis.ts'
import type { HttpConfig } from '../config/load-config.ts'
import { platformErrors } from '../errors/catalogue.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis the per-user limits are counted in, when they are. */
    limitCounter: RedisClient | undefined
  }
}

/** Without REDIS_URL (unit tests) the counts stay in this process's memory. */
export type RateLimitConfig = Pick<HttpConfig, 'RATE_LIMIT_WINDOW_SECONDS' | 'RATE_LIMIT_WRITES' | 'RATE_LIMIT_READS'> & { REDIS_URL?: string }

const isRead = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD'

/**
 * The quota a request spends: its verified user's, or its address's when it carries no valid
 * token. It runs after the routes' onRequest hooks, where a route that takes a token checked it: a
 * request with a bad token was refused (401) and spends nothing. On a public route a token is
 * checked here, and spends its user's quota only if it is valid: nobody can spend another's.
 */
export function rateLimitKey(request: FastifyRequest) {
  const user = request.user ?? request.server.tokenUser?.(request)
  return `${isRead(request) ? 'r' : 'w'}:${user ? `u:${user.id}` : `a:${request.ip}`}`
}

/**
 * What did not come through the gateway (which sets X-Forwarded-For on every request) is another
 * service calling (the user replica's lookups): the services are reachable only from the gateway
 * and from each other, and one service's lookups must not spend an address's quota.
 */
const fromAnotherService = (request: FastifyRequest) => request.headers['x-forwarded-for'] === undefined

/**
 * Per-user limits in fixed windows, counted in Redis so that every instance of every service
 * shares one count per user (a user's writes are counted together, whichever service they reach).
 * The headers are the IETF draft's (RateLimit-Limit, -Remaining, -Reset) and Retry-After on 429.
 * Redis being away lets requests through (the gateway's per-address limits still hold): a limit
 * must not take the service down with it.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance, config: RateLimitConfig) => {
  // Not @fastify/redis, which waits for the connection at boot: a command fails at once while Redis
  // is away, and the request goes through.
  const redis = config.REDIS_URL ? failFastRedis(config.REDIS_URL, app.log, 'rate limits') : undefined
  app.addHook('onClose', async () => { redis?.disconnect() })
  app.decorate<RedisClient | undefined>('limitCounter', redis)
  const windowSeconds = config.RATE_LIMIT_WINDOW_SECONDS
  await app.register(rateLimit, {
    global: true,
    hook: 'preValidation',
    ...(redis ? { redis } : {}),
    nameSpace: 'rl:',
    skipOnError: true,
    timeWindow: windowSeconds * 1000,
    keyGenerator: rateLimitKey,
    allowList: fromAnotherService,
    max: (_request, key) => (key.startsWith('r:') ? config.RATE_LIMIT_READS : config.RATE_LIMIT_WRITES),
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) => platformErrors.RATE_LIMITED(`More than ${context.max} requests of this kind in ${windowSeconds} s; retry after the time in Retry-After.`),
  })
}, { name: 'starling-rate-limit' })
