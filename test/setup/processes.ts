import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { waitFor } from '@starling/shared/testing'
import { renderConfig, type RenderOptions } from '../../scripts/stack/components/nginx.ts'
import { allInstances, serviceEnv, services } from '../../scripts/stack/components/services.ts'
import { stack } from '../../scripts/stack/config.ts'
import { runningPid } from '../../scripts/stack/process.ts'

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
 * the stack's. Ready when it answers. A port found free may be taken by the time nginx binds it
 * (test files run in parallel): nginx then exits before it writes its pid file, and another port
 * is tried.
 */
export async function startGateway(options: Omit<RenderOptions, 'listen'> = {}): Promise<Running> {
  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-gw-'))
    const port = await freePort()
    const conf = path.join(dir, 'nginx.conf')
    const pidFile = path.join(dir, 'nginx.pid')
    fs.writeFileSync(conf, renderConfig({ ...options, listen: `127.0.0.1:${port}`, downSocket: path.join(dir, 'down.sock') }))
    const child = spawn('nginx', ['-p', dir, '-c', conf, '-g', `daemon off; pid ${pidFile};`], { stdio: 'ignore' })
    const bound = await waitFor(() => {
      if (child.exitCode !== null) return 'exited'
      return fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() === String(child.pid) ? 'bound' : undefined
    }, { what: 'the test gateway to bind its port' })
    if (bound === 'exited') {
      if (attempt < 5) continue
      throw new Error(`nginx could not start on ${port}; see ${conf}`)
    }
    const url = `http://127.0.0.1:${port}`
    await waitFor(async () => (await fetch(`${url}/nowhere`)).status === 404, { what: 'the test gateway' })
    return { url, port, process: child, stop: stopper(child, 'SIGQUIT') }
  }
}

/**
 * One more API instance of a stack service (server.ts: no consumers, no relay; the same databases,
 * Redis and Kafka), or with `entry` 'worker' one more worker (its consumers join the stack's
 * groups), with `env` on top of the stack's environment for it. It listens on a port the system
 * picks (read from its log), so instances started at once never race for one. Ready when /readyz
 * says so.
 */
export async function startServiceInstance(name: string, env: Record<string, string> = {}, entry: 'server' | 'worker' = 'server'): Promise<Running> {
  const spec = services.find((s) => s.name === name)
  if (!spec) throw new Error(`no service ${name}`)
  const child = spawn(process.execPath, [path.join('services', name, 'src', `${entry}.ts`)], {
    cwd: stack.root,
    env: { ...serviceEnv(spec), PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-100_000) })
  const port = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`the ${name} instance exited: ${output.slice(-2000)}`)
    const match = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(output)
    return match ? Number(match[1]) : undefined
  }, { what: `a second ${name} instance listening`, timeoutMs: 30_000 })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, { what: `a second ${name} instance ready`, timeoutMs: 30_000 })
  return { url, port, process: child, stop: stopper(child, 'SIGTERM') }
}

/** The pid of each of the stack's own services now: a service that restarted has another. */
export const stackServicePids = () => Object.fromEntries(allInstances().map((i) => [i.daemon, runningPid(i.daemon)]))

/** The gateway's limits as the stack starts it by default, without the GATEWAY_* variables a test run raises them with. */
export function defaultGatewayLimits() {
  const raised = Object.entries(process.env).filter(([name]) => name.startsWith('GATEWAY_'))
  for (const [name] of raised) delete process.env[name]
  try {
    return stack.gateway
  } finally {
    for (const [name, value] of raised) process.env[name] = value
  }
}

/**
 * Runs one of the repository's scripts on this Node to its end, with `env` on top of the tests'
 * environment; stopped (SIGTERM) after `timeoutMs`, so a test that outlives it leaves nothing behind.
 */
export function runScript(script: string, args: string[], options: { env?: Record<string, string>; timeoutMs: number }) {
  const child = spawn(process.execPath, [script, ...args], { cwd: stack.root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}
