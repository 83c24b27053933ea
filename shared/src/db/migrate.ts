import { fileURLToPath } from 'node:url'
import { runner } from 'node-pg-migrate'
import type { Logger } from 'pino'

const platformDir = fileURLToPath(new URL('../../migrations', import.meta.url))

/**
 * Applies the platform tables (outbox, processed events) and then the service's own migrations.
 * node-pg-migrate takes an advisory lock, so concurrent instances apply each file once.
 */
export async function migrate(databaseUrl: string, serviceDir: string, logger: Logger) {
  const log = (msg: string) => logger.debug(msg)
  const common = { databaseUrl, direction: 'up' as const, log, logger: { debug: log, info: log, warn: log, error: log }, checkOrder: true }
  const platform = await runner({ ...common, dir: platformDir, migrationsTable: 'platform_migrations' })
  const service = await runner({ ...common, dir: serviceDir, migrationsTable: 'migrations' })
  return [...platform, ...service].map((m) => m.name)
}
