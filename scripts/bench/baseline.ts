// The benchmark's baseline: a second nginx rendered from the gateway's own template (same limits,
// headers, logging and proxy settings) in front of a minimal Fastify app, both on this machine.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { RAISED_GATEWAY_LIMITS } from '../../load-tests/config.ts'
import { renderConfig } from '../stack/components/nginx.ts'
import { services } from '../stack/components/services.ts'

const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo
    server.close(() => resolve(port))
  })
})

function firstLine(child: ChildProcess) {
  return new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) resolve(text.split('\n')[0]!.trim())
    })
    child.once('exit', (code) => reject(new Error(`the baseline server exited (${code}) before listening`)))
  })
}

async function until(url: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.status > 0, () => false)) return
    await sleep(100)
  }
  throw new Error(`the baseline gateway did not answer at ${url}`)
}

/** Starts the baseline in `dir`; returns its gateway URL, its two processes' pids, and a stop(). */
export async function startBaseline(dir: string) {
  const app = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const appPort = Number(await firstLine(app))
  const port = await freePort()
  const conf = path.join(dir, 'nginx.conf')
  // Every route goes to the minimal app; the bench loads /timelines/{id} and POST /tweets/.
  const upstreams = Object.fromEntries(services.map((s) => [s.name, `127.0.0.1:${appPort}`]))
  fs.writeFileSync(conf, renderConfig({ listen: `127.0.0.1:${port}`, limits: RAISED_GATEWAY_LIMITS, upstreams, downSocket: path.join(dir, 'down.sock') }))
  // Its access log goes to a file, as the stack gateway's does.
  const log = fs.openSync(path.join(dir, 'nginx.log'), 'a')
  const nginx = spawn('nginx', ['-p', dir, '-c', conf, '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`], { stdio: ['ignore', log, log] })
  fs.closeSync(log)
  const url = `http://127.0.0.1:${port}`
  await until(`${url}/timelines/1`)
  return {
    url,
    pids: { app: app.pid!, nginx: nginx.pid! },
    stop() {
      nginx.kill('SIGQUIT')
      app.kill('SIGTERM')
    },
  }
}
