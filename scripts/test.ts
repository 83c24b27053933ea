// `npm test`: lint, typecheck, then every vitest project and the browser tests against the real
// stack. Starts the stack when it is not running and stops it again afterwards; when it is
// running, restarts the eight services so they run the code on disk, and leaves it running.
import { stack } from './stack/config.ts'
import { down, isUp, restartServices, up, type StackHandle } from './stack/stack.ts'
import { readFigures } from '../test/setup/figures.ts'
import { type SecurityResult, securityTable } from '../test/security/results.ts'
import { figuresFile, run, saveFigures, tool, useTestSettings, vitestEnv } from './test-run.ts'
import { ensureAptPackages } from './stack/provision.ts'

// The browser the Playwright tests drive (never one Playwright downloads), and fonts for its pages.
const BROWSER_PACKAGES = ['chromium', 'fonts-dejavu-core']

// Every package declares what it imports, and nothing it does not (knip reads each workspace).
let ok = run('lint', [tool('eslint/bin/eslint.js'), '.']) && run('dependencies', [tool('knip/bin/knip.js'), '--dependencies'])
  && run('typecheck', [tool('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'])
  && run('typecheck web', [tool('typescript/bin/tsc'), '-p', 'web/tsconfig.json', '--noEmit'])
useTestSettings()
const wasRunning = ok && (await isUp())
let handle: StackHandle | undefined
const security = figuresFile('security')
try {
  if (ok) {
    process.stderr.write(`\n== stack (${wasRunning ? 'running: restarting the services' : `starting, ${stack.infra} servers`})\n`)
    handle = wasRunning ? await restartServices() : await up()
    ok = run('vitest', [tool('vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], vitestEnv({ SECURITY_RESULTS: security }))
    // The web client in a real browser (Debian's Chromium), when the whole suite runs.
    if (process.argv.length <= 2) {
      ensureAptPackages(BROWSER_PACKAGES)
      ok = run('browser', [tool('@playwright/test/cli.js'), 'test'], vitestEnv()) && ok
    }
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
// The security suite's figures: printed, and kept as the latest when the whole suite ran.
const rows = readFigures<SecurityResult>(security)
if (rows.length > 0) {
  if (process.argv.length > 2) process.stdout.write(`\n${securityTable(rows)}\n`)
  else saveFigures('security', 'Security suite', securityTable(rows), rows)
}
process.exitCode = ok ? 0 : 1
