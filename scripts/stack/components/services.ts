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
    // Every instance, tried in turn (shared/src/replicas/user-replica.ts).
    ...Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_SERVICE_URL`, apiAddresses(s).map((a) => `http://${a}`).join(',')])),
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
export const rolesOf = (service: ServiceSpec): Role[] => (service.workerPort ? ['api', 'worker'] : ['api'])

/**
 * How many instances of each API and each worker run: one, or two on the cluster topology, the
 * second listening 200 above the first (APIs on base+201 …, workers on base+301 …). nginx spreads
 * requests over the APIs; the workers share their consumer groups.
 */
export const instances = stack.topology === 'cluster' ? [1, 2] : [1]

/** One running process of a service. */
export interface Instance {
  service: ServiceSpec
  role: Role
  /** 1, or 2 on the cluster topology. */
  number: number
  /** `service-<name>` for the API, `worker-<name>` for the worker, with `-2` for the second. */
  daemon: string
  port: number
}

/** The daemon of a service's process: `service-<name>` for the API, `worker-<name>` for the worker (`-2` for the second instance). */
export const daemonName = (service: ServiceSpec, role: Role = 'api', number = 1) =>
  `${role === 'api' ? 'service' : 'worker'}-${service.name}${number === 1 ? '' : `-${number}`}`
const portOf = (service: ServiceSpec, role: Role, number: number) => (role === 'api' ? service.port : service.workerPort!) + 200 * (number - 1)

/** The processes of `service` in `roles`, every instance of each. */
export const instancesOf = (service: ServiceSpec, roles: Role[] = ['api', 'worker']): Instance[] =>
  rolesOf(service).filter((role) => roles.includes(role)).flatMap((role) =>
    instances.map((number) => ({ service, role, number, daemon: daemonName(service, role, number), port: portOf(service, role, number) })))

/** Every process of every service. */
export const allInstances = () => services.flatMap((service) => instancesOf(service))

/** The addresses of a service's APIs, as nginx's upstream servers. */
export const apiAddresses = (service: ServiceSpec) => instancesOf(service, ['api']).map((i) => `127.0.0.1:${i.port}`)

export async function migrateAll() {
  const logger = createLogger('migrate', 'warn')
  for (const service of services.filter((s) => s.database)) {
    await migrate(postgresUrl(service.database!), path.join(stack.root, 'services', service.name, 'migrations'), logger, { replicas: service.replicas ?? false })
  }
}

const startInstance = (instance: Instance) => startDaemon({
  name: instance.daemon,
  command: process.execPath,
  args: [path.join('services', instance.service.name, 'src', instance.role === 'api' ? 'server.ts' : 'worker.ts')],
  env: { ...serviceEnv(instance.service), PORT: String(instance.port) },
})

const readyInstance = (instance: Instance) => waitUntil(instance.daemon, async () => {
  const response = await fetch(`http://127.0.0.1:${instance.port}/readyz`)
  return response.ok
}, stack.readyTimeoutMs, logFile(instance.daemon))

export const appServices = {
  start() {
    for (const instance of allInstances()) startInstance(instance)
  },
  ready: () => Promise.all(allInstances().map(readyInstance)),
  /** Starts processes of one service that are not running and waits until they are ready (what a supervisor does). */
  async startOne(service: ServiceSpec, roles: Role[] = ['api', 'worker'], numbers = instances) {
    await Promise.all(instancesOf(service, roles).filter((i) => numbers.includes(i.number)).map(async (instance) => {
      startInstance(instance)
      await readyInstance(instance)
    }))
  },
  stop: () => Promise.all(allInstances().map((instance) => stopDaemon(instance.daemon))),
  stopOne: (service: ServiceSpec, roles: Role[] = ['api', 'worker'], numbers = instances) =>
    Promise.all(instancesOf(service, roles).filter((i) => numbers.includes(i.number)).map((instance) => stopDaemon(instance.daemon))),
}
