import { runService } from '@starling/shared/lifecycle'
import type { Logger } from 'pino'
import { buildApp } from './app.ts'
import { loadNotificationConfig } from './config.ts'
import { createNotificationWorker } from './worker.ts'

const config = loadNotificationConfig()
const app = await buildApp(config)
if (config.WORKER_ENABLED) {
  const worker = createNotificationWorker({ config, pool: app.pg.pool, redis: app.redis, logger: app.log as Logger, metrics: app.metrics })
  app.addHook('onReady', () => worker.start())
  app.addHook('onClose', () => worker.stop())
}
await runService(app, { host: config.HOST, port: config.PORT })
