import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { waitFor } from '@starling/shared/testing'
import { renderConfig, type RenderOptions } from '../../scripts/stack/components/nginx.ts'
import { serviceEnv, services } from '../../scripts/stack/components/services.ts'
import { stack } from '../../scripts/stack/config.ts'

/** A port nothing listens on (yet). */
export const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo
    server.close(() => resolve(port))
  })
})

export interface Running {
  url: string
  port: number
  process: ChildProcess
  stop(): Promise<void>
}

function stopper(child: ChildProcess, signal: NodeJS.Signals) {
  return () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

/**
 * A gateway of the tests' own from the stack's template (other limits, other upstreams), beside
 * the stack's. Ready when it answers.
 */
export async function startGateway(options: Omit<RenderOptions, 'listen'> = {}): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-gw-'))
  const port = await freePort()
  const conf = path.join(dir, 'nginx.conf')
  fs.writeFileSync(conf, renderConfig({ ...options, listen: `127.0.0.1:${port}`, downSocket: path.join(dir, 'down.sock') }))
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`], { stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/nowhere`)).status === 404, { what: 'the test gateway' })
  return { url, port, process: child, stop: stopper(child, 'SIGQUIT') }
}

/**
 * One more instance of a stack service (the same databases, Redis and Kafka), with `env` on top of
 * the stack's environment for it and no background work unless asked. Ready when /readyz says so.
 */
export async function startServiceInstance(name: string, env: Record<string, string> = {}): Promise<Running> {
  const spec = services.find((s) => s.name === name)
  if (!spec) throw new Error(`no service ${name}`)
  const port = await freePort()
  const child = spawn(process.execPath, [path.join('services', name, 'src', 'server.ts')], {
    cwd: stack.root,
    env: { ...serviceEnv(spec), PORT: String(port), WORKER_ENABLED: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, { what: `a second ${name} instance`, timeoutMs: 30_000 })
  return { url, port, process: child, stop: stopper(child, 'SIGTERM') }
}
