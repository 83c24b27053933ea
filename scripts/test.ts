// `npm test`: lint, typecheck, then every vitest project against the real stack. Starts the stack
// when it is not running and stops it again afterwards; when it is running, restarts the seven
// services so they run the code on disk, and leaves it running.
import { stack } from './stack/config.ts'
import { down, isUp, restartServices, up, type StackHandle } from './stack/stack.ts'
import { run, tool, useTestSettings, vitestEnv } from './test-run.ts'

let ok = run('lint', [tool('eslint/bin/eslint.js'), '.']) && run('typecheck', [tool('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'])
useTestSettings()
const wasRunning = ok && (await isUp())
let handle: StackHandle | undefined
try {
  if (ok) {
    process.stderr.write(`\n== stack (${wasRunning ? 'running: restarting the services' : `starting, ${stack.infra} servers`})\n`)
    handle = wasRunning ? await restartServices() : await up()
    ok = run('vitest', [tool('vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], vitestEnv())
  }
} catch (error) {
  process.stderr.write(`\nthe stack did not come up: ${error instanceof Error ? error.message : String(error)}\n`)
  ok = false
} finally {
  if (!wasRunning && process.env.STARLING_KEEP_STACK !== '1') {
    await down()
    await handle?.release()
  }
}
process.exitCode = ok ? 0 : 1
