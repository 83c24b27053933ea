import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { allTopics } from '@starling/shared/events'
import { ensureTopics } from '@starling/shared/events/kafka'
import { stack } from './config.ts'
import { startGatewayContainer, startInfraContainers } from './components/containers.ts'
import { elasticsearch, elasticsearchDaemons } from './components/elasticsearch.ts'
import { kafka, kafkaBrokers, kafkaDaemons, kafkaReplication } from './components/kafka.ts'
import { gatewayUrl, nginx, NGINX_WORKER_USER, webRoot } from './components/nginx.ts'
import { objectStore } from './components/object-store.ts'
import { postgres } from './components/postgres.ts'
import { redis, redisDaemons } from './components/redis.ts'
import { toxiproxy } from './components/toxiproxy.ts'
import { buildWebClient } from './components/web.ts'
import { allInstances, appServices, migrateAll, services } from './components/services.ts'
import { runningPid, say, StackError, waitUntil } from './process.ts'
import { ensureAptPackages, ensureDirs, ensureStackUser, ensureStackUserReaches } from './provision.ts'

// acl: setfacl, for ensureStackUserReaches.
const APT_PACKAGES = ['postgresql', 'redis-server', 'nginx', 'libnginx-mod-http-js', 'acl']
const infrastructure = [postgres, redis, kafka, elasticsearch, objectStore]

async function step<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = Date.now()
  const result = await work()
  say(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

/** What `up` started that only lives as long as this process (containers); nothing for local daemons. */
export interface StackHandle {
  release(): Promise<void>
}

/**
 * Brings everything up, reusing whatever already runs; idempotent. Local servers are daemons that
 * outlive this process (stop them with down()); containers are released with the handle.
 */
export async function up(): Promise<StackHandle> {
  const releases: (() => Promise<void>)[] = []
  await step(`directories under ${ensureDirs()}`, () => {})
  await step(`${stack.topology} topology`, leaveOtherTopology)
  if (stack.infra === 'local') {
    await step('system packages', () => ensureAptPackages(APT_PACKAGES))
    await step('stack user', () => {
      ensureStackUser()
      ensureStackUserReaches(stack.dir)
      // nginx's workers (the account its build names, `nobody` here) read the web client's files.
      ensureStackUserReaches(webRoot, NGINX_WORKER_USER)
    })
    await step('Kafka and Elasticsearch artifacts from Maven Central', () => Promise.all([kafka.provision(), elasticsearch.provision()]))
  }
  await step('PostgreSQL, Redis, Kafka, Elasticsearch and versitygw started', async () => {
    if (stack.infra === 'containers') releases.push(await startInfraContainers())
    // versitygw is a local process either way (a Go binary built here, no image needed).
    for (const component of stack.infra === 'containers' ? [objectStore] : infrastructure) await component.start()
    await Promise.all(infrastructure.map((component) => component.ready()))
  })
  await step('Kafka topics', () => ensureTopics(kafkaBrokers().split(','), allTopics, kafkaReplication()))
  await step('databases and migrations', async () => {
    await postgres.createDatabases(services.flatMap((s) => (s.database ? [s.database] : [])))
    await migrateAll()
  })
  if (stack.servicesVia === 'toxiproxy') {
    await step('toxiproxy between the services and PostgreSQL, Redis and Kafka', async () => {
      await toxiproxy.start()
      await toxiproxy.ready()
    })
  }
  await step('eight services (APIs and workers) ready', async () => {
    appServices.start()
    await appServices.ready()
  })
  await step('web client (web/, built when a source changed)', buildWebClient)
  await step('nginx gateway', async () => {
    if (stack.infra === 'containers') releases.unshift(await startGatewayContainer())
    else await nginx.start()
    await nginx.ready()
  })
  // Polled: a gateway that saw a service down keeps it marked so for its fail timeout (10 s).
  let health = ''
  try {
    await waitUntil('nginx', async () => {
      const response = await fetch(`${gatewayUrl()}/health`)
      health = `${response.status} ${await response.text()}`
      return response.status === 200
    }, 30_000)
  } catch {
    throw new StackError(`GET /health answered ${health}`)
  }
  return { release: async () => { for (const release of releases) await release() } }
}

/** Stops every local process the stack started (services, nginx, local servers). */
export async function down() {
  await nginx.stop()
  await appServices.stop()
  await toxiproxy.stop()
  for (const component of [...infrastructure].reverse()) await component.stop()
  fs.rmSync(topologyFile, { force: true })
}

// The topology the running stack was brought up in. The two share ports and some daemons' names,
// so one is stopped (by a `stop` in its own topology) before the other starts.
const topologyFile = path.join(stack.run, 'topology')
function leaveOtherTopology() {
  const running = fs.existsSync(topologyFile) ? fs.readFileSync(topologyFile, 'utf8').trim() : stack.topology
  if (running !== stack.topology) {
    say(`stopping the ${running} stack first`)
    const stop = spawnSync(process.execPath, [path.join(stack.root, 'scripts/stack/cli.ts'), 'stop'], { stdio: 'inherit', env: { ...process.env, STACK_TOPOLOGY: running } })
    if (stop.status !== 0) throw new StackError(`could not stop the ${running} stack`)
  }
  fs.writeFileSync(topologyFile, stack.topology)
}

/** Restarts the eight services (and nginx) so they run the code on disk; the servers keep running. */
export async function restartServices() {
  await nginx.stop()
  await appServices.stop()
  return up()
}

/** Restarts one service (waiting for the old process to finish shutting down). */
export async function restartService(name: string) {
  const service = services.find((s) => s.name === name)
  if (!service) throw new StackError(`no service ${name}; the services are ${services.map((s) => s.name).join(', ')}`)
  await appServices.stopOne(service)
  return up()
}

export function status() {
  const names = ['postgres', ...redisDaemons(), ...kafkaDaemons(), ...elasticsearchDaemons(), 'versitygw', 'toxiproxy', ...allInstances().map((i) => i.daemon), 'nginx']
  for (const name of names) say(`${name.padEnd(22)} ${runningPid(name) ? `running (pid ${runningPid(name)})` : 'stopped'}`)
}

export async function isUp() {
  try {
    return (await fetch(`${gatewayUrl()}/health`)).status === 200
  } catch {
    return false
  }
}
