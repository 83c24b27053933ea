import { createWorkerApp } from '@starling/shared/http'
import { runWorker } from '@starling/shared/lifecycle'
import { compose } from './compose.ts'
import { loadMediaConfig } from './config.ts'

const config = loadMediaConfig()
const deps = compose(config)
await runWorker(await createWorkerApp(deps), deps, { host: config.HOST, port: config.PORT })
