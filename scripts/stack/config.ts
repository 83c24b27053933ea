import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** Everything the stack scripts may be told, from the environment, with defaults for a 2-core machine. */
const env = process.env
const int = (name: string, fallback: number) => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${JSON.stringify(raw)} must be a positive integer`)
  return value
}

export const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const stackDir = path.resolve(env.STACK_DIR ?? path.join(root, '.stack'))

/** Where the servers come from: local processes (default) or containers when a Docker engine answers. */
function infraMode(): 'local' | 'containers' {
  const chosen = env.STACK_INFRA
  if (chosen === 'local' || chosen === 'containers') return chosen
  if (chosen) throw new Error(`STACK_INFRA=${JSON.stringify(chosen)} must be local or containers`)
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0 ? 'containers' : 'local'
}

/** One of each server (the default), or the clustered topology (STACK_TOPOLOGY=cluster). */
function topology(): 'single' | 'cluster' {
  const chosen = env.STACK_TOPOLOGY ?? 'single'
  if (chosen !== 'single' && chosen !== 'cluster') throw new Error(`STACK_TOPOLOGY=${JSON.stringify(chosen)} must be single or cluster`)
  return chosen
}

export const stack = {
  root,
  infra: infraMode(),
  topology: topology(),
  dir: stackDir,
  logs: path.join(stackDir, 'logs'),
  run: path.join(stackDir, 'run'),
  data: path.join(stackDir, 'data'),
  cache: path.join(stackDir, 'cache'),
  /** Unprivileged account for the servers that refuse to run as root (PostgreSQL, Elasticsearch). */
  user: env.STACK_USER ?? 'starling',
  ports: {
    gateway: int('GATEWAY_PORT', 8080),
    postgres: int('PG_PORT', 5432),
    redis: int('REDIS_PORT', 6379),
    /** The clustered topology's six Redis servers: base … base+5 (their cluster bus 10000 above). */
    redisCluster: int('REDIS_CLUSTER_PORT', 7001),
    kafka: int('KAFKA_PORT', 9092),
    kafkaController: int('KAFKA_CONTROLLER_PORT', 9093),
    /** A second Kafka listener, advertised as the toxiproxy in front of it (npm run test:faults). */
    kafkaFaults: int('KAFKA_FAULTS_PORT', 9094),
    elasticsearch: int('ES_PORT', 9200),
    /** versitygw, the S3-compatible object store. */
    objectStore: int('S3_PORT', 7070),
    /** The services listen on base+1 (user) … base+8 (media); their workers on base+101 … base+108. */
    serviceBase: int('SERVICE_PORT_BASE', 3000),
    /** toxiproxy's API, and its proxies in front of PostgreSQL, Redis and Kafka: base+0 … base+3. */
    toxiproxyBase: int('TOXIPROXY_PORT_BASE', 18474),
  },
  heap: {
    kafka: env.KAFKA_HEAP ?? '512m',
    elasticsearch: env.ES_HEAP ?? '512m',
  },
  /**
   * The gateway's limits (nginx/nginx.conf.template); `npm test` and the benchmark raise them by
   * setting the variables, so they are read when nginx is configured, not when this file loads.
   */
  get gateway() {
    return {
      RATE_AUTH_PER_MINUTE: int('GATEWAY_RATE_AUTH_PER_MINUTE', 30),
      RATE_AUTH_BURST: int('GATEWAY_RATE_AUTH_BURST', 10),
      // Per address: several people may share one (NAT), so these sit above one user's limits.
      RATE_WRITES_PER_SECOND: int('GATEWAY_RATE_WRITES_PER_SECOND', 50),
      RATE_WRITES_BURST: int('GATEWAY_RATE_WRITES_BURST', 100),
      RATE_READS_PER_SECOND: int('GATEWAY_RATE_READS_PER_SECOND', 200),
      RATE_READS_BURST: int('GATEWAY_RATE_READS_BURST', 400),
      WS_CONNECTIONS_PER_ADDRESS: int('GATEWAY_WS_CONNECTIONS_PER_ADDRESS', 20),
      UPSTREAM_TIMEOUT_SECONDS: int('GATEWAY_UPSTREAM_TIMEOUT_SECONDS', 5),
      AUTH_UPSTREAM_TIMEOUT_SECONDS: int('GATEWAY_AUTH_UPSTREAM_TIMEOUT_SECONDS', 10),
      UPSTREAM_MAX_FAILS: int('GATEWAY_UPSTREAM_MAX_FAILS', 2),
      UPSTREAM_FAIL_TIMEOUT_SECONDS: int('GATEWAY_UPSTREAM_FAIL_TIMEOUT_SECONDS', 10),
    }
  },
  /**
   * How the services reach PostgreSQL, Redis and Kafka: directly, or through toxiproxy, where the
   * fault suite adds latency, resets and blackholes. Read when a service starts.
   */
  get servicesVia(): 'direct' | 'toxiproxy' {
    const via = env.STACK_SERVICES_VIA ?? 'direct'
    if (via !== 'direct' && via !== 'toxiproxy') throw new Error(`STACK_SERVICES_VIA=${JSON.stringify(via)} must be direct or toxiproxy`)
    return via
  },
  /** Seconds to wait for one component to become ready before giving up on it. */
  readyTimeoutMs: int('STACK_READY_TIMEOUT_S', 120) * 1000,
  /** Passed to the services: LOG_LEVEL and any SERVICE-specific overrides the caller exported. */
  logLevel: env.LOG_LEVEL ?? 'info',
  passthrough: env,
}
export type Stack = typeof stack
