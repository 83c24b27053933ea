import path from 'node:path'
import { stack } from '../config.ts'
import { ownedDir } from '../provision.ts'
import { run, startDaemon, stopDaemon, waitUntil } from '../process.ts'

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
  ready: () => waitUntil('redis', async () => run('redis-cli', ['-p', String(stack.ports.redis), 'ping']).trim() === 'PONG'),
  stop: () => stopDaemon('redis'),
}
