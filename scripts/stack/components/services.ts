import path from 'node:path'
import { migrate } from '@starling/shared/db'
import { createLogger } from '@starling/shared/logging'
import { stack } from '../config.ts'
import { logFile, startDaemon, stopDaemon, waitUntil } from '../process.ts'
import { elasticsearchUrl } from './elasticsearch.ts'
import { kafkaBrokers } from './kafka.ts'
import { postgresUrl } from './postgres.ts'
import { redisUrl } from './redis.ts'
import { jwtKeys } from './secrets.ts'
import { proxied } from './toxiproxy.ts'

export interface ServiceSpec {
  name: string
  port: number
  /** Its own PostgreSQL database, when it keeps one. */
  database?: string
}

/** The seven services, their ports and their databases. nginx routes to these ports. */
const base = stack.ports.serviceBase
export const services: ServiceSpec[] = [
  { name: 'user', port: base + 1, database: 'starling_user' },
  { name: 'tweet', port: base + 2, database: 'starling_tweet' },
  { name: 'follower', port: base + 3, database: 'starling_follower' },
  { name: 'timeline', port: base + 4, database: 'starling_timeline' },
  { name: 'search', port: base + 5 },
  { name: 'notification', port: base + 6, database: 'starling_notification' },
  { name: 'dm', port: base + 7, database: 'starling_dm' },
]

/**
 * The environment a service is started with: the caller's (so TIMELINE_CELEBRITY_THRESHOLD=10
 * npm start reaches the timeline service) plus the addresses of the stack's servers.
 */
export function serviceEnv(service: ServiceSpec): NodeJS.ProcessEnv {
  const keys = jwtKeys()
  const viaProxies = stack.servicesVia === 'toxiproxy'
  const proxies = proxied()
  return {
    ...stack.passthrough,
    ...Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_SERVICE_URL`, `http://127.0.0.1:${s.port}`])),
    JWT_PUBLIC_KEY: keys.publicKey,
    ...(service.name === 'user' ? { JWT_PRIVATE_KEY: keys.privateKey } : {}),
    HOST: '127.0.0.1',
    PORT: String(service.port),
    LOG_LEVEL: stack.logLevel,
    KAFKA_BROKERS: viaProxies ? proxies.kafka.listen : kafkaBrokers(),
    REDIS_URL: viaProxies ? `redis://${proxies.redis.listen}` : redisUrl(),
    ELASTICSEARCH_URL: elasticsearchUrl(),
    ...(service.database ? { DATABASE_URL: viaProxies ? `postgres://postgres@${proxies.postgres.listen}/${service.database}` : postgresUrl(service.database) } : {}),
  }
}

const daemonName = (service: ServiceSpec) => `service-${service.name}`

export async function migrateAll() {
  const logger = createLogger('migrate', 'warn')
  for (const service of services.filter((s) => s.database)) {
    await migrate(postgresUrl(service.database!), path.join(stack.root, 'services', service.name, 'migrations'), logger)
  }
}

const startOne = (service: ServiceSpec) => startDaemon({
  name: daemonName(service),
  command: process.execPath,
  args: [path.join('services', service.name, 'src', 'server.ts')],
  env: serviceEnv(service),
})

const readyOne = (service: ServiceSpec) => waitUntil(daemonName(service), async () => {
  const response = await fetch(`http://127.0.0.1:${service.port}/readyz`)
  return response.ok
}, stack.readyTimeoutMs, logFile(daemonName(service)))

export const appServices = {
  start() {
    for (const service of services) startOne(service)
  },
  ready: () => Promise.all(services.map(readyOne)),
  /** Starts one service that is not running and waits until it is ready (what a supervisor does). */
  async startOne(service: ServiceSpec) {
    startOne(service)
    await readyOne(service)
  },
  stop: () => Promise.all(services.map((service) => stopDaemon(daemonName(service)))),
  stopOne: (service: ServiceSpec) => stopDaemon(daemonName(service)),
}
