import { Toxiproxy } from 'toxiproxy-node-client'
import { stack } from '../config.ts'
import { logFile, startDaemon, stopDaemon, waitUntil } from '../process.ts'
import { goTool } from './tools.ts'
import { toxiproxyPorts } from './toxiproxy-ports.ts'

/** What each proxy stands in front of; services started with STACK_SERVICES_VIA=toxiproxy use the proxies. */
export const proxied = () => {
  const ports = toxiproxyPorts()
  return {
    postgres: { listen: `127.0.0.1:${ports.postgres}`, upstream: `127.0.0.1:${stack.ports.postgres}` },
    redis: { listen: `127.0.0.1:${ports.redis}`, upstream: `127.0.0.1:${stack.ports.redis}` },
    kafka: { listen: `127.0.0.1:${ports.kafka}`, upstream: `127.0.0.1:${stack.ports.kafkaFaults}` },
  }
}
export type ProxiedServer = keyof ReturnType<typeof proxied>

export const toxiproxyApi = () => `http://127.0.0.1:${toxiproxyPorts().api}`
export const toxiproxyClient = () => new Toxiproxy(toxiproxyApi())

/**
 * toxiproxy (built from the Go module proxy) between the services and PostgreSQL, Redis and Kafka,
 * for the fault suite. Every address it listens on is on 127.0.0.1.
 */
export const toxiproxy = {
  name: 'toxiproxy',
  async start() {
    startDaemon({ name: 'toxiproxy', command: goTool('toxiproxy'), args: ['-host', '127.0.0.1', '-port', String(toxiproxyPorts().api)] })
  },
  async ready() {
    await waitUntil('toxiproxy', async () => (await fetch(`${toxiproxyApi()}/version`)).ok, stack.readyTimeoutMs, logFile('toxiproxy'))
    // Made anew each time, without toxics: a run starts from clean proxies.
    const client = toxiproxyClient()
    await client.populate(Object.entries(proxied()).map(([name, addresses]) => ({ name, ...addresses, enabled: true })))
    await client.reset()
  },
  stop: () => stopDaemon('toxiproxy'),
}
