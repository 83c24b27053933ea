import { allTopics, ensureTopics } from '@starling/shared'
import { stack } from './config.ts'
import { elasticsearch } from './components/elasticsearch.ts'
import { kafka, kafkaBrokers } from './components/kafka.ts'
import { gatewayUrl, nginx } from './components/nginx.ts'
import { postgres } from './components/postgres.ts'
import { redis } from './components/redis.ts'
import { appServices, migrateAll, services } from './components/services.ts'
import { runningPid, say, StackError } from './process.ts'
import { ensureAptPackages, ensureDirs, ensureStackUser } from './provision.ts'

const APT_PACKAGES = ['postgresql', 'redis-server', 'nginx', 'libnginx-mod-http-js']
const infrastructure = [postgres, redis, kafka, elasticsearch]

async function step<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = Date.now()
  const result = await work()
  say(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

/** Brings everything up, reusing whatever already runs; idempotent. */
export async function up() {
  await step(`directories under ${ensureDirs()}`, () => {})
  await step('system packages', () => ensureAptPackages(APT_PACKAGES))
  await step('stack user', ensureStackUser)
  await step('Kafka and Elasticsearch artifacts from Maven Central', () => Promise.all([kafka.provision(), elasticsearch.provision()]))
  await step('PostgreSQL, Redis, Kafka and Elasticsearch started', async () => {
    for (const component of infrastructure) await component.start()
    await Promise.all(infrastructure.map((component) => component.ready()))
  })
  await step('Kafka topics', () => ensureTopics([kafkaBrokers()], allTopics))
  await step('databases and migrations', async () => {
    await postgres.createDatabases(services.flatMap((s) => (s.database ? [s.database] : [])))
    await migrateAll()
  })
  await step('seven services ready', async () => {
    appServices.start()
    await appServices.ready()
  })
  await step('nginx gateway', async () => {
    await nginx.start()
    await nginx.ready()
  })
  const health = await fetch(`${gatewayUrl()}/health`)
  if (health.status !== 200) throw new StackError(`GET /health answered ${health.status}: ${await health.text()}`)
}

export async function down() {
  await nginx.stop()
  await appServices.stop()
  for (const component of [...infrastructure].reverse()) await component.stop()
}

async function restartServices() {
  await nginx.stop()
  await appServices.stop()
  await up()
}

function status() {
  const names = ['postgres', 'redis', 'kafka', 'elasticsearch', ...services.map((s) => `service-${s.name}`), 'nginx']
  for (const name of names) say(`${name.padEnd(22)} ${runningPid(name) ? `running (pid ${runningPid(name)})` : 'stopped'}`)
}

async function main(command = 'start') {
  switch (command) {
    case 'start': {
      const started = Date.now()
      await up()
      say(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s; logs in ${stack.logs}`)
      process.stdout.write(`Starling is up: ${gatewayUrl()}\n`)
      say('press Ctrl-C to stop everything (or run `npm stop` elsewhere)')
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      say('stopping...')
      await down()
      return
    }
    case 'up':
      await up()
      process.stdout.write(`${gatewayUrl()}\n`)
      return
    case 'restart-services':
      await restartServices()
      return
    case 'stop':
      await down()
      say('stopped')
      return
    case 'status':
      status()
      return
    default:
      throw new StackError(`unknown command ${command}; use start, up, stop, status or restart-services`)
  }
}

main(process.argv[2]).catch(async (error: unknown) => {
  if (error instanceof StackError) say(`error: ${error.message}`)
  else say(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 1
})
