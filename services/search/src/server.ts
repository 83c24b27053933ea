import { runService } from '@starling/shared/lifecycle'
import { buildApp } from './app.ts'
import { compose } from './compose.ts'
import { loadSearchConfig } from './config.ts'

const config = loadSearchConfig()
await runService(await buildApp(compose(config)), { host: config.HOST, port: config.PORT })
