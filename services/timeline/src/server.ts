import { runService } from '@starling/shared/lifecycle'
import { buildApp } from './app.ts'
import { compose } from './compose.ts'
import { loadTimelineConfig } from './config.ts'

const config = loadTimelineConfig()
await runService(await buildApp(compose(config)), { host: config.HOST, port: config.PORT })
