import { runService } from '@starling/shared/lifecycle'
import { buildApp } from './app.ts'
import { compose } from './compose.ts'
import { loadMediaConfig } from './config.ts'

const config = loadMediaConfig()
await runService(await buildApp(compose(config)), { host: config.HOST, port: config.PORT })
