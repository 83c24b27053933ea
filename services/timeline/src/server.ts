import { runService } from '@starling/shared'
import { buildApp } from './app.ts'
import { loadTimelineConfig } from './config.ts'

const config = loadTimelineConfig()
const app = await buildApp(config)
await runService(app, { host: config.HOST, port: config.PORT })
