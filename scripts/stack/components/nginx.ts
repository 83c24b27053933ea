import fs from 'node:fs'
import path from 'node:path'
import { stack } from '../config.ts'
import { execFileSync } from 'node:child_process'
import { logFile, runningPid, startDaemon, stopDaemon, StackError, waitUntil } from '../process.ts'
import { MEDIA_BUCKET } from './object-store.ts'
import { apiAddresses, services } from './services.ts'

const prefix = path.join(stack.dir, 'nginx')
const confFile = path.join(prefix, 'nginx.conf')
const confDir = path.join(stack.root, 'nginx')
const downSocket = path.join(prefix, 'down.sock')
/** Who nginx's workers run as: the config names no `user`, so the account its build names. */
export const NGINX_WORKER_USER = 'nobody'
/** The web client's built files (web/dist, `vite build`). */
export const webRoot = path.join(stack.root, 'web', 'dist')

/** Fills ${NAME} placeholders (upper case only), leaving nginx's own $variables untouched. */
export function renderTemplate(template: string, values: Record<string, string>) {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (match, name: string) => {
    if (!(name in values)) throw new Error(`nginx template: no value for \${${name}}`)
    return values[name]!
  })
}

export interface RenderOptions {
  confDir?: string
  listen?: string
  /** Overrides of the limits in stack.gateway, e.g. low ones for a test. */
  limits?: Partial<typeof stack.gateway>
  upstreams?: Partial<Record<string, string>>
  /** Where the gateway's own "service down" server listens; one per gateway. */
  downSocket?: string
  webRoot?: string
}

export function renderConfig(options: RenderOptions = {}) {
  // The template reads `server ${USER_UPSTREAM} max_fails=…;` (Kubernetes names one Service); two
  // instances become two such lines, the first given the same limits as the template's last.
  const serverLimits = `max_fails=${options.limits?.UPSTREAM_MAX_FAILS ?? stack.gateway.UPSTREAM_MAX_FAILS} fail_timeout=${options.limits?.UPSTREAM_FAIL_TIMEOUT_SECONDS ?? stack.gateway.UPSTREAM_FAIL_TIMEOUT_SECONDS}s`
  const upstreams = Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_UPSTREAM`, options.upstreams?.[s.name] ?? apiAddresses(s).join(` ${serverLimits}; server `)]))
  const template = fs.readFileSync(path.join(confDir, 'nginx.conf.template'), 'utf8')
  const limits = Object.fromEntries(Object.entries({ ...stack.gateway, ...options.limits }).map(([k, v]) => [k, String(v)]))
  return renderTemplate(template, {
    ...upstreams, ...limits,
    GATEWAY_LISTEN: options.listen ?? `127.0.0.1:${stack.ports.gateway}`,
    NGINX_CONF_DIR: options.confDir ?? confDir,
    DOWN_SOCKET: options.downSocket ?? downSocket,
    WEB_ROOT: options.webRoot ?? webRoot,
    OBJECT_STORE_UPSTREAM: options.upstreams?.objectStore ?? `127.0.0.1:${stack.ports.objectStore}`,
    MEDIA_BUCKET,
    // The media service's 10 MB and the form's fields around the file.
    MEDIA_MAX_UPLOAD: '11m',
  })
}

const pidArgs = () => ['-g', `daemon off; pid ${path.join(stack.run, 'nginx-master.pid')};`]

export const gatewayUrl = () => `http://127.0.0.1:${stack.ports.gateway}`

export const nginx = {
  name: 'nginx',
  /** Writes the config and checks it with `nginx -t`; returns the file. */
  configure() {
    fs.mkdirSync(prefix, { recursive: true })
    fs.writeFileSync(confFile, renderConfig())
    // stdout to a file: the config logs to /dev/stdout, which cannot be opened on a pipe.
    const out = fs.openSync(logFile('nginx'), 'a')
    try {
      execFileSync('nginx', ['-t', '-q', '-p', prefix, '-c', confFile, ...pidArgs()], { stdio: ['ignore', out, 'pipe'] })
    } catch (error) {
      throw new StackError(`nginx rejected ${confFile}: ${(error as { stderr?: Buffer }).stderr?.toString().trim()}`)
    } finally {
      fs.closeSync(out)
    }
    return confFile
  },
  async start() {
    this.configure()
    // nginx unlinks its unix sockets only on a clean exit; one killed leaves them, and they then
    // block the next bind ("Address already in use").
    const running = runningPid('nginx')
    if (!running) fs.rmSync(downSocket, { force: true })
    // A gateway left running reads the new config (another topology's upstreams, say).
    else process.kill(running, 'SIGHUP')
    startDaemon({ name: 'nginx', command: 'nginx', args: ['-p', prefix, '-c', confFile, ...pidArgs()] })
  },
  ready: () => waitUntil('nginx', async () => (await fetch(`${gatewayUrl()}/health`)).status !== 0, stack.readyTimeoutMs, logFile('nginx')),
  stop: () => stopDaemon('nginx', { signal: 'SIGQUIT' }),
}
