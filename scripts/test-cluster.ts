// `npm run test:cluster`: the integration and end-to-end suites, unchanged, against the clustered
// topology of the stack (STACK_TOPOLOGY=cluster). A single-node stack left running is stopped
// first (the two share ports: see leaveOtherTopology in stack/stack.ts).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { root } from './stack/config.ts'

const node = (script: string, args: string[], topology: 'single' | 'cluster') =>
  spawnSync(process.execPath, [path.join(root, script), ...args], { stdio: 'inherit', cwd: root, env: { ...process.env, STACK_TOPOLOGY: topology } }).status === 0

const ok = node('scripts/test.ts', ['--project', 'integration', '--project', 'e2e', ...process.argv.slice(2)], 'cluster')
process.exitCode = ok ? 0 : 1
