import { runService } from '@starling/shared/lifecycle'
import type { Logger } from 'pino'
import { buildApp } from './app.ts'
import { loadSearchConfig } from './config.ts'
import { createSearchWorker } from './worker.ts'

const config = loadSearchConfig()
const app = await buildApp(config)
if (config.WORKER_ENABLED) {
  const worker = createSearchWorker({ config, client: app.elastic, logger: app.log as Logger, metrics: app.metrics })
  app.addHook('onReady', () => worker.start())
  app.addHook('onClose', () => worker.stop())
}
await runService(app, { host: config.HOST, port: config.PORT })
