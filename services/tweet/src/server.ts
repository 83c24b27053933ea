import { runService } from '@starling/shared'
import { buildApp } from './app.ts'
import { loadTweetConfig } from './config.ts'

const config = loadTweetConfig()
const app = await buildApp(config)
await runService(app, { host: config.HOST, port: config.PORT })
