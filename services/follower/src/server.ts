import { runService } from '@starling/shared'
import { buildApp } from './app.ts'
import { loadFollowerConfig } from './config.ts'

const config = loadFollowerConfig()
const app = await buildApp(config)
await runService(app, { host: config.HOST, port: config.PORT })
