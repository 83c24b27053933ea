// `npm run test:faults`: the fault suite (test/faults). The services are restarted behind toxiproxy
// (STACK_SERVICES_VIA=toxiproxy), each case drives a workload of numbered operations, injects its
// fault again and again, lets the system settle and compares what was acknowledged with what is
// there. Prints the table and saves it in bench-results/faults-latest.{md,json}. The stack is left
// as it was found (running directly, or stopped).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stack } from './stack/config.ts'
import { down, isUp, restartServices, up, type StackHandle } from './stack/stack.ts'
import { type FaultResult, faultTable } from '../test/faults/results.ts'
import { run, tool, useTestSettings, vitestEnv } from './test-run.ts'

useTestSettings()
const wasRunning = await isUp()
const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'starling-faults-')), 'results.jsonl')
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

const rows: FaultResult[] = fs.existsSync(results) ? fs.readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as FaultResult) : []
const table = faultTable(rows)
process.stdout.write(`\n${table}\n`)
if (rows.length > 0) {
  const dir = path.join(stack.root, 'bench-results')
  const ran = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  fs.writeFileSync(path.join(dir, 'faults-latest.md'), `# Fault suite, ${ran} (${os.cpus().length} cores, everything on one machine)\n\n${table}\n`)
  fs.writeFileSync(path.join(dir, 'faults-latest.json'), `${JSON.stringify({ ran, rows }, null, 2)}\n`)
}
process.exitCode = ok ? 0 : 1
