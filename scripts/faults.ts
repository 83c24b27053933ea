// `npm run test:faults`: the fault suite (test/faults). The services are restarted behind toxiproxy
// (STACK_SERVICES_VIA=toxiproxy), each case drives a workload of numbered operations, injects its
// fault again and again, lets the system settle and compares what was acknowledged with what is
// there. Prints the table and saves it in bench-results/faults-latest.{md,json}. The stack is left
// as it was found (running directly, or stopped).
import { down, isUp, restartServices, up, type StackHandle } from './stack/stack.ts'
import { type FaultResult, faultTable } from '../test/faults/results.ts'
import { readFigures } from '../test/setup/figures.ts'
import { figuresFile, run, saveFigures, tool, useTestSettings, vitestEnv } from './test-run.ts'

useTestSettings()
const wasRunning = await isUp()
const results = figuresFile('faults')
let ok = false
let handle: StackHandle | undefined
try {
  process.env.STACK_SERVICES_VIA = 'toxiproxy'
  process.stderr.write(`\n== stack (${wasRunning ? 'running' : 'starting'}; the services behind toxiproxy)\n`)
  handle = wasRunning ? await restartServices() : await up()
  ok = run('fault suite', [tool('vitest/vitest.mjs'), 'run', '--config', 'vitest.faults.config.ts', ...process.argv.slice(2)], vitestEnv({ FAULT_RESULTS: results }))
} catch (error) {
  process.stderr.write(`\nthe stack did not come up: ${error instanceof Error ? error.message : String(error)}\n`)
} finally {
  process.env.STACK_SERVICES_VIA = 'direct'
  if (wasRunning) await restartServices()
  else {
    await down()
    await handle?.release()
  }
}

const rows = readFigures<FaultResult>(results)
// Kept as the latest only when every case ran.
if (process.argv.length > 2) process.stdout.write(`\n${faultTable(rows)}\n`)
else saveFigures('faults', 'Fault suite', faultTable(rows), rows)
process.exitCode = ok ? 0 : 1
