import { runService } from '@starling/shared/lifecycle'
import { buildApp } from './app.ts'
import { compose } from './compose.ts'
import { loadNotificationConfig } from './config.ts'

const config = loadNotificationConfig()
await runService(await buildApp(compose(config)), { host: config.HOST, port: config.PORT })
