import path from 'node:path'
import { migrate } from '@starling/shared/db'
import { createLogger } from '@starling/shared/logging'
import { stack } from '../config.ts'
import { logFile, startDaemon, stopDaemon, waitUntil } from '../process.ts'
import { elasticsearchNodes, elasticsearchReplicas } from './elasticsearch.ts'
import { kafkaBrokers } from './kafka.ts'
import { objectStoreEnv } from './object-store.ts'
import { postgresUrl } from './postgres.ts'
import { redisUrl } from './redis.ts'
import { jwtKeys } from './secrets.ts'
import { proxied } from './toxiproxy.ts'

export interface ServiceSpec {
  name: string
  /** The API's port; nginx routes to it. */
  port: number
  /** The worker process's port (its probes and metrics), when the service has a worker entrypoint. */
  workerPort?: number
  /** Its own PostgreSQL database, when it keeps one. */
  database?: string
  /** Whether its database holds the shared replicas' tables (accounts, blocks, mutes of others). */
  replicas?: boolean
}

/** The eight services, their ports and their databases. Workers listen 100 above their API. */
const base = stack.ports.serviceBase
export const services: ServiceSpec[] = [
  { name: 'user', port: base + 1, workerPort: base + 101, database: 'starling_user' },
  { name: 'tweet', port: base + 2, workerPort: base + 102, database: 'starling_tweet', replicas: true },
  { name: 'follower', port: base + 3, workerPort: base + 103, database: 'starling_follower', replicas: true },
  { name: 'timeline', port: base + 4, workerPort: base + 104, database: 'starling_timeline', replicas: true },
  { name: 'search', port: base + 5, workerPort: base + 105 },
  { name: 'notification', port: base + 6, workerPort: base + 106, database: 'starling_notification', replicas: true },
  { name: 'dm', port: base + 7, workerPort: base + 107, database: 'starling_dm', replicas: true },
  { name: 'media', port: base + 8, workerPort: base + 108, database: 'starling_media' },
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
    ELASTICSEARCH_URL: elasticsearchNodes(),
    SEARCH_INDEX_REPLICAS: String(elasticsearchReplicas()),
    // The media service's bucket, as the gateway serves it to browsers.
    ...(service.name === 'media' ? objectStoreEnv(`http://127.0.0.1:${stack.ports.gateway}`) : {}),
    ...(service.database ? { DATABASE_URL: viaProxies ? `postgres://postgres@${proxies.postgres.listen}/${service.database}` : postgresUrl(service.database) } : {}),
  }
}

/** A service's processes: its API (server.ts) and, when it has one, its worker (worker.ts). */
export type Role = 'api' | 'worker'
/** The daemon of one process: `service-<name>` for the API, `worker-<name>` for the worker. */
export const daemonName = (service: ServiceSpec, role: Role = 'api') => `${role === 'api' ? 'service' : 'worker'}-${service.name}`
export const rolesOf = (service: ServiceSpec): Role[] => (service.workerPort ? ['api', 'worker'] : ['api'])
const portOf = (service: ServiceSpec, role: Role) => (role === 'api' ? service.port : service.workerPort!)

export async function migrateAll() {
  const logger = createLogger('migrate', 'warn')
  for (const service of services.filter((s) => s.database)) {
    await migrate(postgresUrl(service.database!), path.join(stack.root, 'services', service.name, 'migrations'), logger, { replicas: service.replicas ?? false })
  }
}

const startOne = (service: ServiceSpec, role: Role) => startDaemon({
  name: daemonName(service, role),
  command: process.execPath,
  args: [path.join('services', service.name, 'src', role === 'api' ? 'server.ts' : 'worker.ts')],
  env: { ...serviceEnv(service), PORT: String(portOf(service, role)) },
})

const readyOne = (service: ServiceSpec, role: Role) => waitUntil(daemonName(service, role), async () => {
  const response = await fetch(`http://127.0.0.1:${portOf(service, role)}/readyz`)
  return response.ok
}, stack.readyTimeoutMs, logFile(daemonName(service, role)))

const each = (service: ServiceSpec, roles: Role[], run: (service: ServiceSpec, role: Role) => unknown) =>
  Promise.all(roles.filter((role) => rolesOf(service).includes(role)).map((role) => run(service, role)))

export const appServices = {
  start() {
    for (const service of services) for (const role of rolesOf(service)) startOne(service, role)
  },
  ready: () => Promise.all(services.map((service) => each(service, ['api', 'worker'], readyOne))),
  /** Starts processes of one service that are not running and waits until they are ready (what a supervisor does). */
  async startOne(service: ServiceSpec, roles: Role[] = ['api', 'worker']) {
    await each(service, roles, async (s, role) => {
      startOne(s, role)
      await readyOne(s, role)
    })
  },
  stop: () => Promise.all(services.map((service) => each(service, ['api', 'worker'], (s, role) => stopDaemon(daemonName(s, role))))),
  stopOne: (service: ServiceSpec, roles: Role[] = ['api', 'worker']) => each(service, roles, (s, role) => stopDaemon(daemonName(s, role))),
}
