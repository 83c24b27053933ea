import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { stack } from './config.ts'

export class StackError extends Error {}

const pidFile = (name: string) => path.join(stack.run, `${name}.pid`)
export const logFile = (name: string) => path.join(stack.logs, `${name}.log`)

export function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A killed process whose parent has not reaped it yet (a zombie) still answers kill(0).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

export function runningPid(name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8'))
    return pid > 0 && isAlive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

export interface DaemonSpec {
  name: string
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Run as the unprivileged stack user. */
  unprivileged?: boolean
}

/** Starts a long-running process in its own process group, output to .stack/logs/<name>.log. */
export function startDaemon(spec: DaemonSpec): number {
  const existing = runningPid(spec.name)
  if (existing) return existing
  fs.mkdirSync(stack.logs, { recursive: true })
  fs.mkdirSync(stack.run, { recursive: true })
  const out = fs.openSync(logFile(spec.name), 'a')
  fs.writeSync(out, `\n--- ${new Date().toISOString()} starting ${spec.command} ${spec.args.join(' ')}\n`)
  const ids = spec.unprivileged ? userIds() : {}
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd ?? stack.root,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
    ...ids,
  })
  fs.closeSync(out)
  if (!child.pid) throw new StackError(`${spec.name}: could not start ${spec.command}; see ${logFile(spec.name)}`)
  child.unref()
  fs.writeFileSync(pidFile(spec.name), String(child.pid))
  return child.pid
}

/** `signal` to the process group (SIGTERM unless the server wants another), then SIGKILL after `graceMs`. */
export async function stopDaemon(name: string, options: { signal?: NodeJS.Signals; graceMs?: number } = {}) {
  const { signal = 'SIGTERM', graceMs = 15_000 } = options
  const pid = runningPid(name)
  if (pid) {
    try { process.kill(-pid, signal) } catch { process.kill(pid, signal) }
    const deadline = Date.now() + graceMs
    while (isAlive(pid) && Date.now() < deadline) await sleep(100)
    if (isAlive(pid)) {
      try { process.kill(-pid, 'SIGKILL') } catch { /* already gone */ }
    }
  }
  fs.rmSync(pidFile(name), { force: true })
}

export function userIds() {
  const uid = Number(execFileSync('id', ['-u', stack.user]).toString().trim())
  const gid = Number(execFileSync('id', ['-g', stack.user]).toString().trim())
  return { uid, gid }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host })
    socket.setTimeout(500)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(false))
  })
}

/** Polls `probe` until it is true; on timeout names the component and its log. */
export async function waitUntil(name: string, probe: () => Promise<boolean>, timeoutMs = stack.readyTimeoutMs, log = logFile(name)) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe().catch(() => false)) return
    const pid = runningPid(name)
    if (pid === undefined && fs.existsSync(pidFile(name))) {
      throw new StackError(`${name} exited during startup; read ${log}`)
    }
    if (Date.now() > deadline) throw new StackError(`${name} was not ready within ${timeoutMs / 1000} s; read ${log}`)
    await sleep(250)
  }
}

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }).toString()
}

export const say = (message: string) => process.stderr.write(`starling: ${message}\n`)
