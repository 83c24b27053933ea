// What `npm test` and `npm run test:faults` share: the stack's settings for a test run, and the
// environment vitest gets (where every server is, the signing key, the logs).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stack } from './stack/config.ts'
import { elasticsearchUrl } from './stack/components/elasticsearch.ts'
import { kafkaBrokers } from './stack/components/kafka.ts'
import { gatewayUrl } from './stack/components/nginx.ts'
import { objectStoreEnv } from './stack/components/object-store.ts'
import { postgresUrl } from './stack/components/postgres.ts'
import { redisUrl } from './stack/components/redis.ts'
import { jwtKeys } from './stack/components/secrets.ts'
import { serviceEnv, services } from './stack/components/services.ts'

// Each tool runs on this Node (24), whatever `node` on PATH is.
export const tool = (entry: string) => `${stack.root}/node_modules/${entry}`

export function run(label: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  process.stderr.write(`\n== ${label}\n`)
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env, cwd: stack.root })
  if (result.status !== 0) process.stderr.write(`\n${label} failed (exit ${result.status ?? result.signal})\n`)
  return result.status === 0
}

/** The stack's settings for tests, unless the caller exported others; read when the stack starts. */
export function useTestSettings() {
  // Five followers make a high-follower author in the tests, so both fanout paths are exercised.
  process.env.TIMELINE_CELEBRITY_THRESHOLD ??= '5'
  // Every test signs up from 127.0.0.1: the gateway's limits go up; test/e2e/gateway-limits.test.ts
  // checks them on a second gateway with low ones.
  process.env.GATEWAY_RATE_AUTH_PER_MINUTE ??= '100000'
  process.env.GATEWAY_RATE_AUTH_BURST ??= '10000'
  process.env.GATEWAY_RATE_WRITES_PER_SECOND ??= '10000'
  process.env.GATEWAY_RATE_WRITES_BURST ??= '10000'
  process.env.GATEWAY_RATE_READS_PER_SECOND ??= '10000'
  process.env.GATEWAY_RATE_READS_BURST ??= '10000'
  process.env.GATEWAY_WS_CONNECTIONS_PER_ADDRESS ??= '1000'
  // Likewise every account's own limits in the services; test/security/rate-limits.test.ts checks
  // them on instances of its own with low ones.
  process.env.RATE_LIMIT_WRITES ??= '1000000'
  process.env.RATE_LIMIT_READS ??= '1000000'
  // The sweep of unused uploads runs every 2 s, so test/e2e/media.test.ts sees an upload it aged gone within seconds.
  process.env.MEDIA_SWEEP_SECONDS ??= '2'
}

/** Notes where each log ends now (test/audit reads what the run adds) and returns the file. */
export function markLogs() {
  const offsets = path.join(stack.run, 'test-log-offsets.json')
  const logs = fs.readdirSync(stack.logs).filter((f) => f.endsWith('.log'))
  fs.writeFileSync(offsets, JSON.stringify(Object.fromEntries(logs.map((f) => [f, fs.statSync(path.join(stack.logs, f)).size]))))
  return offsets
}

/** Where the servers are, for the tests (test/setup/env.ts reads these). */
export function vitestEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GATEWAY_URL: gatewayUrl(),
    KAFKA_BROKERS: kafkaBrokers(),
    POSTGRES_URL: postgresUrl('postgres'),
    REDIS_URL: redisUrl(),
    ELASTICSEARCH_URL: elasticsearchUrl(),
    ...objectStoreEnv(gatewayUrl()),
    // Each service directly, for what the gateway does not expose (/metrics).
    ...Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_SERVICE_URL`, `http://127.0.0.1:${s.port}`])),
    // Tests mint tokens with it to check what the services accept (another audience, expired...).
    JWT_PRIVATE_KEY: jwtKeys().privateKey,
    // What the stack starts each service with, for service tests that build one in the test process.
    STARLING_SERVICE_ENVS: JSON.stringify(Object.fromEntries(services.map((s) => [s.name, serviceEnv(s)]))),
    STACK_LOGS: stack.logs,
    STACK_LOG_OFFSETS: markLogs(),
    ...extra,
  }
}

/** A new, empty file for a suite's figures (test/setup/figures.ts appends to it). */
export function figuresFile(suite: string) {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), `starling-${suite}-`)), 'results.jsonl')
}

/** Prints a suite's table and keeps it as bench-results/<suite>-latest.{md,json}, when it has rows. */
export function saveFigures(suite: string, title: string, table: string, rows: unknown[]) {
  process.stdout.write(`\n${table}\n`)
  if (rows.length === 0) return
  const dir = path.join(stack.root, 'bench-results')
  const ran = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `${suite}-latest.md`), `# ${title}, ${ran} (${os.cpus().length} cores, everything on one machine)\n\n${table}\n`)
  fs.writeFileSync(path.join(dir, `${suite}-latest.json`), `${JSON.stringify({ ran, rows }, null, 2)}\n`)
}
