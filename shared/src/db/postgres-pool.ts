import pg, { type Pool, type PoolConfig } from 'pg'
import type { Logger } from 'pino'

export interface PostgresOptions {
  DATABASE_URL: string
  PG_POOL_MAX: number
  PG_CONNECT_TIMEOUT_MS: number
  PG_QUERY_TIMEOUT_MS: number
}

/** Pool settings that fail fast when the server is away instead of waiting on it forever. */
export const poolConfig = (options: PostgresOptions): PoolConfig => ({
  connectionString: options.DATABASE_URL,
  max: options.PG_POOL_MAX,
  connectionTimeoutMillis: options.PG_CONNECT_TIMEOUT_MS,
  statement_timeout: options.PG_QUERY_TIMEOUT_MS,
  // The server's timeout cannot fire when the server (or the network) stopped answering.
  query_timeout: options.PG_QUERY_TIMEOUT_MS + 1000,
  // Probes an idle connection after 10 s (not the system's two hours), so one to a server that is gone is noticed.
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
})

/**
 * A server restart ends every connection with an 'error' event. node-postgres emits it on the pool
 * for idle clients and on the client itself for checked-out ones, and an 'error' nobody listens to
 * ends the process. Listening is all it takes: the query in flight fails (503 upstream), the broken
 * client is dropped when released, and the next checkout connects anew.
 */
export function survivePostgresRestarts(pool: Pool, logger: Pick<Logger, 'warn'>) {
  // Only what identifies the cause: node-postgres hangs the client (and its settings) on the error.
  const lost = (error: Error & { code?: string }) => logger.warn({ code: error.code, reason: error.message }, 'PostgreSQL connection lost')
  pool.on('error', lost)
  pool.on('connect', (client) => client.on('error', lost))
  return pool
}

/** A pool with the settings above that survives restarts; the composition root that made it ends it. */
export const createPostgresPool = (options: PostgresOptions, logger: Pick<Logger, 'warn'>) =>
  survivePostgresRestarts(new pg.Pool(poolConfig(options)), logger)
