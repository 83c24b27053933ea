import { runService } from '@starling/shared/lifecycle'
import type { Logger } from 'pino'
import { buildApp } from './app.ts'
import { loadUserConfig } from './config.ts'
import { createUserWorker } from './worker.ts'

const config = loadUserConfig()
const app = await buildApp(config)
if (config.WORKER_ENABLED) {
  const worker = createUserWorker({ config, pool: app.pg.pool, logger: app.log as Logger, metrics: app.metrics })
  app.addHook('onReady', () => worker.start())
  app.addHook('onClose', () => worker.stop())
}
await runService(app, { host: config.HOST, port: config.PORT })
