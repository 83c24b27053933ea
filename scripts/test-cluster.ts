// `npm run test:cluster`: the integration and end-to-end suites, unchanged, against the clustered
// topology of the stack (STACK_TOPOLOGY=cluster), then the cluster's fault cases (test/cluster-
// faults), each killing a member. A single-node stack left running is stopped first (the two share
// ports: see leaveOtherTopology in stack/stack.ts). Prints the fault table and keeps it in
// bench-results/cluster-faults-latest.{md,json}. The cluster is stopped afterwards unless it ran.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { FaultResult } from '../test/faults/results.ts'

process.env.STACK_TOPOLOGY = 'cluster'
const { root } = await import('./stack/config.ts')
const { down, isUp } = await import('./stack/stack.ts')
const { figuresFile, run, saveFigures, tool, useTestSettings, vitestEnv } = await import('./test-run.ts')
const { faultTable } = await import('../test/faults/results.ts')
const { readFigures } = await import('../test/setup/figures.ts')

const wasRunning = await isUp()
const suites = spawnSync(process.execPath, [path.join(root, 'scripts/test.ts'), '--project', 'integration', '--project', 'e2e', ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root, env: { ...process.env, STARLING_KEEP_STACK: '1' } })
let ok = suites.status === 0
const results = figuresFile('cluster-faults')
// The fault cases only when the whole suites ran and passed (a file named on the command line runs alone).
if (ok && process.argv.length <= 2) {
  useTestSettings()
  ok = run('cluster fault cases', [tool('vitest/vitest.mjs'), 'run', '--config', 'vitest.cluster-faults.config.ts'], vitestEnv({ FAULT_RESULTS: results }))
  const rows = readFigures<FaultResult>(results)
  // Kept as the latest only when every case passed.
  if (ok) saveFigures('cluster-faults', 'Cluster fault cases', faultTable(rows), rows)
  else process.stdout.write(`\n${faultTable(rows)}\n`)
}
if (!wasRunning) await down()
process.exitCode = ok ? 0 : 1
