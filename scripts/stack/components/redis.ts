import { execFileSync } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { stack } from '../config.ts'
import { ownedDir } from '../provision.ts'
import { startDaemon, stopDaemon, waitUntil } from '../process.ts'

/**
 * One Redis, or on the clustered topology a Redis Cluster of three masters with a replica each:
 * six servers on consecutive ports from REDIS_CLUSTER_PORT (the masters first, as
 * `redis-cli --cluster create` pairs them), each with its own data directory and nodes.conf.
 */
interface RedisNode {
  daemon: string
  port: number
  dataDir: string
}

const clustered = stack.topology === 'cluster'
const CLUSTER_NODES = 6

function nodes(): RedisNode[] {
  if (!clustered) return [{ daemon: 'redis', port: stack.ports.redis, dataDir: path.join(stack.data, 'redis') }]
  return Array.from({ length: CLUSTER_NODES }, (_, i) => ({
    daemon: `redis-${i + 1}`,
    port: stack.ports.redisCluster + i,
    dataDir: path.join(stack.data, 'redis-cluster', `node-${i + 1}`),
  }))
}

/** REDIS_URL: the one server, or every cluster node as a seed (services/…/compose.ts, shared/src/db/redis.ts). */
export const redisUrl = () => nodes().map((node) => `redis://127.0.0.1:${node.port}`).join(',')
/** The daemons of the Redis servers (the fault cases kill a master). */
export const redisDaemons = () => nodes().map((node) => node.daemon)
/** The port of a daemon's server. */
export const redisPortOf = (daemon: string) => nodes().find((node) => node.daemon === daemon)?.port

const cli = (port: number, ...args: string[]) =>
  execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** True when the node at `port` says the cluster has every slot and its six nodes. */
function clusterWhole(port: number) {
  try {
    const info = cli(port, 'cluster', 'info')
    return /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${CLUSTER_NODES}\\b`).test(info)
  } catch {
    return false
  }
}

export const redis = {
  name: 'redis',
  async start() {
    for (const node of nodes()) {
      const dir = ownedDir(node.dataDir)
      startDaemon({
        name: node.daemon,
        command: 'redis-server',
        // AOF, fsync every second: timelines are rebuildable, but a restart should not empty them.
        args: ['--bind', '127.0.0.1', '--port', String(node.port), '--dir', dir, '--appendonly', 'yes',
          '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes',
          // A master silent for 3 s is failed over to its replica (the default is 15 s).
          ...(clustered ? ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '3000'] : [])],
        unprivileged: true,
      })
    }
  },
  async ready() {
    const all = nodes()
    for (const node of all) await waitUntil(node.daemon, () => ping(node.port))
    if (!clustered) return
    // Created once: afterwards each node finds the others from its nodes.conf.
    if (!all.some((node) => clusterWhole(node.port)) && !/cluster_known_nodes:[2-9]/.test(cli(all[0]!.port, 'cluster', 'info'))) {
      execFileSync('redis-cli', ['--cluster', 'create', ...all.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '1', '--cluster-yes'],
        { stdio: ['ignore', 'ignore', 'pipe'] })
    }
    await waitUntil('redis cluster', async () => all.every((node) => clusterWhole(node.port)), 60_000)
  },
  stop: async () => {
    for (const node of nodes()) await stopDaemon(node.daemon)
  },
}

/** PING over the wire: no redis-cli needed, so it works against a container too. */
function ping(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'))
    socket.setTimeout(1000, () => { socket.destroy(); resolve(false) })
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')) })
    socket.once('error', () => resolve(false))
  })
}
