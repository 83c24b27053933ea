import { createWorkerApp } from '@starling/shared/http'
import { runWorker } from '@starling/shared/lifecycle'
import { compose } from './compose.ts'
import { loadUserConfig } from './config.ts'

const config = loadUserConfig()
const deps = compose(config)
await runWorker(await createWorkerApp(deps), deps, { host: config.HOST, port: config.PORT })
