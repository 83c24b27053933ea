import { runService } from '@starling/shared'
import { buildApp } from './app.ts'
import { loadDmConfig } from './config.ts'

const config = loadDmConfig()
const app = await buildApp(config)
await runService(app, { host: config.HOST, port: config.PORT })
