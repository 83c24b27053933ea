import { createWorkerApp } from '@starling/shared/http'
import { runWorker } from '@starling/shared/lifecycle'
import { compose } from './compose.ts'
import { loadTweetConfig } from './config.ts'

const config = loadTweetConfig()
const deps = compose(config)
await runWorker(await createWorkerApp(deps), deps, { host: config.HOST, port: config.PORT })
