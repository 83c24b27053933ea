import path from 'node:path'
import { stack } from '../config.ts'
import { ownedDir } from '../provision.ts'
import net from 'node:net'
import { startDaemon, stopDaemon, waitUntil } from '../process.ts'

export const redisUrl = () => `redis://127.0.0.1:${stack.ports.redis}`

export const redis = {
  name: 'redis',
  async start() {
    const dir = ownedDir(path.join(stack.data, 'redis'))
    startDaemon({
      name: 'redis',
      command: 'redis-server',
      // AOF, fsync every second: timelines are rebuildable, but a restart should not empty them.
      args: ['--bind', '127.0.0.1', '--port', String(stack.ports.redis), '--dir', dir, '--appendonly', 'yes',
        '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes'],
      unprivileged: true,
    })
  },
  ready: () => waitUntil('redis', () => ping(stack.ports.redis)),
  stop: () => stopDaemon('redis'),
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
