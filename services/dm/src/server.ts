import { runService } from '@starling/shared/lifecycle'
import type { Logger } from 'pino'
import { buildApp } from './app.ts'
import { loadDmConfig } from './config.ts'
import { createDmWorker } from './worker.ts'

const config = loadDmConfig()
const app = await buildApp(config)
if (config.WORKER_ENABLED) {
  const worker = createDmWorker({ config, pool: app.pg.pool, logger: app.log as Logger, metrics: app.metrics })
  app.addHook('onReady', () => worker.start())
  app.addHook('onClose', () => worker.stop())
}
await runService(app, { host: config.HOST, port: config.PORT })
