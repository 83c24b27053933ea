import { fileURLToPath } from 'node:url'
import { runner } from 'node-pg-migrate'
import pg from 'pg'
import type { Logger } from 'pino'

const platformDir = fileURLToPath(new URL('../../migrations', import.meta.url))
const replicasDir = fileURLToPath(new URL('../../migrations-replicas', import.meta.url))

const MIGRATION_LOCK = 0x4d49_4752

/**
 * Applies the platform tables (outbox, processed events, ids), the service's own migrations and,
 * for a service that keeps replicas of accounts, blocks or mutes, the replicas' tables. Instances that start together wait for each other on an advisory lock (node-pg-
 * migrate's own lock fails instead of waiting), so each file is applied exactly once.
 */
export async function migrate(databaseUrl: string, serviceDir: string, logger: Logger, options: { replicas?: boolean } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    const log = (msg: string) => logger.debug(msg)
    const common = {
      dbClient: client, direction: 'up' as const, noLock: true, checkOrder: true,
      log, logger: { debug: log, info: log, warn: log, error: log },
    }
    const platform = await runner({ ...common, dir: platformDir, migrationsTable: 'platform_migrations' })
    const service = await runner({ ...common, dir: serviceDir, migrationsTable: 'migrations' })
    const replicas = options.replicas ? await runner({ ...common, dir: replicasDir, migrationsTable: 'replica_migrations' }) : []
    return [...platform, ...service, ...replicas].map((m) => m.name)
  } finally {
    await client.end()
  }
}
