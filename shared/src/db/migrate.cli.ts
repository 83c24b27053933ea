// `node shared/src/db/migrate.cli.ts services/<name>/migrations [--replicas]`: applies a service's
// migrations (and with --replicas the shared replicas' tables) to DATABASE_URL. The local stack
// calls migrate() directly; containers run this before the service.
import path from 'node:path'
import { createLogger } from '../logging/logger.ts'
import { loadMigrateConfig } from './config.ts'
import { migrate } from './migrate.ts'

const dir = process.argv[2]
if (!dir) throw new Error('usage: migrate.cli.ts <migrations directory> [--replicas]')
const config = loadMigrateConfig()
const logger = createLogger('migrate', config.LOG_LEVEL)
const applied = await migrate(config.DATABASE_URL, path.resolve(dir), logger, { replicas: process.argv.includes('--replicas') })
logger.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date')
