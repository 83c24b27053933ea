import { runService } from '@starling/shared/lifecycle'
import type { Logger } from 'pino'
import { buildApp } from './app.ts'
import { loadTimelineConfig } from './config.ts'
import { createTimelineWorker } from './worker.ts'

const config = loadTimelineConfig()
const app = await buildApp(config)
if (config.WORKER_ENABLED) {
  const worker = createTimelineWorker({
    config, pool: app.pg.pool, redis: app.redis, logger: app.log as Logger, registry: app.metrics, metrics: app.timelineMetrics,
  })
  app.addHook('onReady', () => worker.start())
  app.addHook('onClose', () => worker.stop())
}
await runService(app, { host: config.HOST, port: config.PORT })
