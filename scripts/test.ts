// `npm test`: lint, typecheck, then every vitest project against the real stack. Starts the stack
// when it is not running (and stops it again afterwards); when it is running, restarts the seven
// services so they run the code on disk, and leaves it running.
import { spawnSync } from 'node:child_process'
import { stack } from './stack/config.ts'
import { gatewayUrl } from './stack/components/nginx.ts'
import { kafkaBrokers } from './stack/components/kafka.ts'
import { postgresUrl } from './stack/components/postgres.ts'
import { redisUrl } from './stack/components/redis.ts'
import { elasticsearchUrl } from './stack/components/elasticsearch.ts'

// Each tool runs on this Node (24), whatever `node` on PATH is.
const tool = (entry: string) => [process.execPath, `${stack.root}/node_modules/${entry}`] as const

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  process.stderr.write(`\n== ${label}\n`)
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: stack.root })
  if (result.status !== 0) {
    process.stderr.write(`\n${label} failed (exit ${result.status ?? result.signal})\n`)
    return false
  }
  return true
}

async function stackRunning() {
  try {
    return (await fetch(`${gatewayUrl()}/health`)).status === 200
  } catch {
    return false
  }
}

const stackCli = (command: string) => run(`stack ${command}`, process.execPath, ['scripts/stack/cli.ts', command])

const [node, eslint] = tool('eslint/bin/eslint.js')
const [, tsc] = tool('typescript/bin/tsc')
const [, vitest] = tool('vitest/vitest.mjs')
let ok = run('lint', node, [eslint, '.']) && run('typecheck', node, [tsc, '-p', 'tsconfig.json', '--noEmit'])
const wasRunning = ok && (await stackRunning())
if (ok) ok = stackCli(wasRunning ? 'restart-services' : 'up')
if (ok) {
  const env = {
    ...process.env,
    GATEWAY_URL: gatewayUrl(),
    KAFKA_BROKERS: kafkaBrokers(),
    POSTGRES_URL: postgresUrl('postgres'),
    REDIS_URL: redisUrl(),
    ELASTICSEARCH_URL: elasticsearchUrl(),
  }
  ok = run('vitest', node, [vitest, 'run', ...process.argv.slice(2)], env)
}
if (!wasRunning && process.env.STARLING_KEEP_STACK !== '1') stackCli('stop')
process.exitCode = ok ? 0 : 1
