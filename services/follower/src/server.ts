import { runService } from '@starling/shared/lifecycle'
import type { Logger } from 'pino'
import { buildApp } from './app.ts'
import { loadFollowerConfig } from './config.ts'
import { createFollowerWorker } from './worker.ts'

const config = loadFollowerConfig()
const app = await buildApp(config)
if (config.WORKER_ENABLED) {
  const worker = createFollowerWorker({ config, pool: app.pg.pool, logger: app.log as Logger, metrics: app.metrics })
  app.addHook('onReady', () => worker.start())
  app.addHook('onClose', () => worker.stop())
}
await runService(app, { host: config.HOST, port: config.PORT })
