// services/Dockerfile and .dockerignore, read as text: no Docker engine is needed to run these.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8')

interface Instruction { keyword: string; args: string }
interface Stage { base: string; name?: string; instructions: Instruction[] }

/** Instructions grouped by stage; continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const instructions = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/)
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') }
    })
  const stages: Stage[] = []
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [, base = '', name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args) ?? []
      stages.push({ base, ...(name ? { name } : {}), instructions: [] })
    } else {
      stages.at(-1)?.instructions.push(instruction)
    }
  }
  return stages
}

const stages = parseDockerfile(read('services/Dockerfile'))
const runtime = stages.at(-1)!
const within = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword)
/** The image a stage ultimately starts from, following `FROM <earlier stage>`. */
const imageOf = (stage: Stage): string => {
  const parent = stages.find((s) => s.name === stage.base)
  return parent && parent !== stage ? imageOf(parent) : stage.base
}
const installStage = stages.find((s) => within(s, 'RUN').some((r) => /\bnpm ci\b/.test(r.args)))

/** .dockerignore as Docker applies it: a path is out when it or a parent matches; later rules and `!` win. */
function isIgnored(file: string) {
  const rules = read('.dockerignore').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))
  let ignored = false
  for (const rule of rules) {
    const negated = rule.startsWith('!')
    const pattern = path.posix.normalize(rule.replace(/^!/, '').replace(/^\//, ''))
    if (prefixes.some((p) => path.matchesGlob(p, pattern))) ignored = !negated
  }
  return ignored
}

const workspaceManifests = [
  'shared/package.json',
  ...fs.readdirSync(path.join(root, 'services')).filter((d) => fs.existsSync(path.join(root, 'services', d, 'package.json'))).map((d) => `services/${d}/package.json`),
]

describe('services/Dockerfile', () => {
  it('builds in stages on the Node 24 slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    for (const stage of stages) expect(imageOf(stage)).toBe('node:24-bookworm-slim')
  })

  it('installs only the production dependencies of the chosen service, without install scripts', () => {
    expect(installStage, 'no stage runs npm ci').toBeDefined()
    expect(installStage).not.toBe(runtime)
    const install = within(installStage!, 'RUN').find((r) => /\bnpm ci\b/.test(r.args))!.args
    expect(install).toContain('--omit=dev')
    expect(install).toContain('--ignore-scripts')
    expect(install).toMatch(/--workspace\s+"?@starling\/\$\{SERVICE\}-service"?/)
    expect(install).toContain('--include-workspace-root=false')
  })

  it('copies the lockfile and every workspace manifest before npm ci, so the install matches the lockfile', () => {
    const instructions = installStage!.instructions
    const installAt = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))
    const copied = instructions.slice(0, installAt).filter((i) => i.keyword === 'COPY').flatMap((i) => i.args.split(/\s+/).slice(0, -1))
    for (const file of ['package.json', 'package-lock.json', ...workspaceManifests]) expect(copied, file).toContain(file)
  })

  it('declares ARG SERVICE in every stage that uses it (build arguments do not cross stages)', () => {
    const users = stages.filter((s) => s.instructions.some((i) => /\$\{?SERVICE\b/.test(i.args) && i.keyword !== 'ARG'))
    expect(users.length).toBeGreaterThanOrEqual(2)
    for (const stage of users) {
      const declared = stage.instructions.findIndex((i) => i.keyword === 'ARG' && /^SERVICE\b/.test(i.args))
      const firstUse = stage.instructions.findIndex((i) => i.keyword !== 'ARG' && /\$\{?SERVICE\b/.test(i.args))
      expect(declared, `stage ${stage.name ?? stage.base}`).toBeGreaterThanOrEqual(0)
      expect(declared).toBeLessThan(firstUse)
    }
  })

  it('ships the shared package and only the chosen service', () => {
    const sources = within(runtime, 'COPY').filter((c) => !c.args.startsWith('--from')).map((c) => c.args.split(/\s+/)[0])
    expect(sources).toEqual(expect.arrayContaining(['shared/', 'services/${SERVICE}/']))
    expect(sources).not.toContain('.')
    expect(sources).not.toContain('services/')
  })

  it('runs as the unprivileged node user', () => {
    const user = within(runtime, 'USER').at(-1)?.args
    expect(user).toBe('node')
  })

  it('sets NODE_ENV=production and listens on all interfaces', () => {
    const env = within(runtime, 'ENV').map((e) => e.args).join(' ')
    expect(env).toMatch(/\bNODE_ENV=production\b/)
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/)
  })

  it('checks liveness by fetching /healthz on the service port with node', () => {
    const check = within(runtime, 'HEALTHCHECK').at(-1)?.args ?? ''
    expect(check).not.toMatch(/^NONE/)
    expect(check).toMatch(/CMD \["node", "-e"/)
    expect(check).toContain('http://127.0.0.1:')
    expect(check).toContain('process.env.PORT')
    expect(check).toContain('/healthz')
  })

  it('starts the chosen service\'s server as PID 1', () => {
    const cmd = within(runtime, 'CMD').at(-1)?.args ?? ''
    expect(cmd).toBe('["sh", "-c", "exec node services/${SERVICE}/src/server.ts"]')
    expect(within(runtime, 'ENV').map((e) => e.args).join(' ')).toMatch(/\bSERVICE=\$\{SERVICE\}/)
  })
})

describe('.dockerignore', () => {
  it.each(['node_modules/fastify/package.json', 'shared/node_modules/ajv/package.json', '.stack/data/postgres/PG_VERSION', '.git/HEAD', 'coverage/index.html',
    'services/user/test/users.test.ts', 'services/tweet/src/tweets/tweet.service.test.ts'])('keeps %s out of the build context', (file) => {
    expect(isIgnored(file)).toBe(true)
  })

  it.each(['package.json', 'package-lock.json', ...workspaceManifests, 'shared/src/http/index.ts', 'shared/migrations/1700000000000_platform-outbox.sql',
    'services/user/src/server.ts', 'services/user/migrations/1710000000000_users.sql'])('keeps %s, which the image needs', (file) => {
    expect(fs.existsSync(path.join(root, file)), `${file} does not exist`).toBe(true)
    expect(isIgnored(file)).toBe(false)
  })
})
