import { runService } from '@starling/shared/lifecycle'
import { buildApp } from './app.ts'
import { compose } from './compose.ts'
import { loadUserConfig } from './config.ts'

const config = loadUserConfig()
await runService(await buildApp(compose(config)), { host: config.HOST, port: config.PORT })
