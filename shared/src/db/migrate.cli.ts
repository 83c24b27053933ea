// `node shared/src/db/migrate.cli.ts services/<name>/migrations`: applies a service's migrations to
// DATABASE_URL. The local stack calls migrate() directly; containers run this before the service.
import path from 'node:path'
import { createLogger } from '../logging/logger.ts'
import { loadMigrateConfig } from './config.ts'
import { migrate } from './migrate.ts'

const dir = process.argv[2]
if (!dir) throw new Error('usage: migrate.cli.ts <migrations directory>')
const config = loadMigrateConfig()
const logger = createLogger('migrate', config.LOG_LEVEL)
const applied = await migrate(config.DATABASE_URL, path.resolve(dir), logger)
logger.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date')
