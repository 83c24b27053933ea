import { createWorkerApp } from '@starling/shared/http'
import { runWorker } from '@starling/shared/lifecycle'
import { compose } from './compose.ts'
import { loadDmConfig } from './config.ts'

const config = loadDmConfig()
const deps = compose(config)
await runWorker(await createWorkerApp(deps), deps, { host: config.HOST, port: config.PORT })
