import type { TObject, TSchema } from 'typebox'
import Type from 'typebox'
import { Compile } from 'typebox/compile'

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/**
 * Parses the environment against a TypeBox object schema once: applies defaults, converts strings
 * to numbers/booleans, rejects what does not fit, and returns a frozen object. Every problem names
 * the variable, so a bad deployment stops at boot with a message instead of failing later.
 */
export function loadConfig<T extends TObject>(schema: T, env: Record<string, string | undefined>): Readonly<Type.Static<T>> {
  const validator = Compile(schema)
  const known = Object.fromEntries(
    Object.keys(schema.properties).flatMap((key) => (env[key] === undefined || env[key] === '' ? [] : [[key, env[key]]])),
  )
  const value = validator.Convert(validator.Default(known))
  if (!validator.Check(value)) {
    const problems = validator.Errors(value).map((e) => {
      const params = e.params as { requiredProperties?: string[] }
      if (e.keyword === 'required') return `${params.requiredProperties?.join(', ') ?? e.instancePath} is required`
      const name = e.instancePath.replace(/^\//, '')
      return `${name}=${JSON.stringify(env[name])} ${e.message}`
    })
    throw new ConfigError(problems)
  }
  return Object.freeze(value as Type.Static<T>)
}

/** Comma-separated list in an env var, e.g. KAFKA_BROKERS=127.0.0.1:9092,127.0.0.1:9094. */
export const csv = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean)

/** A port to listen on; 0 lets the system pick one (it is in the log line "Server listening at"). */
export const Port = (defaultPort: number) => Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort })
export const Url = (options: { default?: string } = {}) => Type.String({ pattern: '^[a-z][a-z0-9+.-]*://', ...options })

export const RedisEnv = { REDIS_URL: Url({ default: 'redis://127.0.0.1:6379' }) }

/** Env fragments shared by services; each service composes only the ones it uses. */
export const HttpEnv = {
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 64 * 1024 }),
  TRUST_PROXY: Type.String({
    minLength: 1, default: 'loopback',
    description: 'who may say where a request came from (X-Forwarded-For): the gateway\'s addresses, as proxy-addr names (loopback, uniquelocal) or CIDRs, comma-separated',
  }),
  // Per-user limits, counted in Redis by every instance of every service (http/rate-limit.plugin.ts).
  ...RedisEnv,
  RATE_LIMIT_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 60 }),
  RATE_LIMIT_WRITES: Type.Integer({ minimum: 1, default: 300, description: 'writes (anything but GET and HEAD) per user per window' }),
  RATE_LIMIT_READS: Type.Integer({ minimum: 1, default: 1500, description: 'reads (GET and HEAD) per user per window' }),
}
export type HttpConfig = Type.Static<Type.TObject<typeof HttpEnv>>
export const KafkaEnv = {
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
}
export const PostgresEnv = {
  DATABASE_URL: Url(),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  PG_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 2000, description: 'a connection attempt that takes longer fails (503), instead of waiting on a server that is not answering' }),
  PG_QUERY_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 15_000, description: 'statement_timeout, and the client-side bound for a server that stopped answering' }),
}
export const ElasticsearchEnv = {
  ELASTICSEARCH_URL: Type.String({
    default: 'http://127.0.0.1:9200', pattern: '^https?://[^,\\s]+(,https?://[^,\\s]+)*$',
    description: 'one node, or several separated by commas (the client spreads requests and passes over one that is down)',
  }),
}

export type EnvFragment = Record<string, TSchema>
