import { runService } from '@starling/shared'
import { buildApp } from './app.ts'
import { loadNotificationConfig } from './config.ts'

const config = loadNotificationConfig()
const app = await buildApp(config)
await runService(app, { host: config.HOST, port: config.PORT })
