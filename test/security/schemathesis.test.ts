import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { pythonTool } from '../../scripts/stack/components/tools.ts'
import { newAccount } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { recordSecurityResult } from './record.ts'

// Schemathesis (PyPI) generates requests from the gateway's OpenAPI document, valid and not, and
// checks every answer against what the document promises. Opaque cursors are documented as
// strings, so positive_data_acceptance (any string is a cursor) is the one check left out.
const CHECKS = [
  'not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_headers_conformance',
  'response_schema_conformance', 'negative_data_rejection', 'missing_required_header', 'unsupported_method',
  'allow_header_conformance', 'ignored_auth',
]
// Fixed, so that a run in CI can be replayed with the same cases.
const SEED = '20261201'
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-schemathesis-'))
let schemathesis = ''

beforeAll(() => {
  schemathesis = pythonTool('schemathesis')
}, 300_000)

interface Report { operations: { tested: number }; test_cases: { generated: number; unique_failures: number }; phases: Record<string, { status: string }> }
interface Run { code: number | null; output: string; failures: number; report?: Report }

function run(label: string, extra: string[]): Promise<Run> {
  const report = path.join(dir, `${label}.json`)
  const args = [
    'run', `${testEnv.gatewayUrl}/docs/openapi.json`, '--url', testEnv.gatewayUrl, '--checks', CHECKS.join(','),
    '--max-examples', '40', '--seed', SEED, '--request-timeout', '10', '--no-color', '--report', 'json', '--report-json-path', report, ...extra,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(schemathesis, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => {
      const summary = /=+ (\d+) failures?/.exec(output)
      const parsed = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) as Report : undefined
      resolve({ code, output, failures: parsed?.test_cases.unique_failures ?? (summary ? Number(summary[1]) : 0), report: parsed })
    })
  })
}

function recordRun(check: string, result: Run) {
  const phases = Object.entries(result.report?.phases ?? {}).filter(([, p]) => p.status === 'success').map(([name]) => name)
  recordSecurityResult({
    check, requests: result.report?.test_cases.generated ?? 0, failures: result.failures,
    notes: `${result.report?.operations.tested ?? 0} operations; phases ${phases.join(', ')}; seed ${SEED}`,
  })
}

describe('Schemathesis against the gateway', () => {
  it('finds no server error and no answer the document does not promise, anonymously', async () => {
    // No stateful phase: it chains operations (sign up, then sign in) and would test as a user.
    const result = await run('anonymous', ['--phases', 'examples,coverage,fuzzing'])
    recordRun('Schemathesis, anonymous', result)
    expect({ code: result.code, failures: result.failures }, result.output.slice(-8000)).toEqual({ code: 0, failures: 0 })
  }, 300_000)

  it('finds none with a signed-in user either, chained operations included', async () => {
    const account = await newAccount('schemathesis')
    const result = await run('signed-in', ['--header', `Authorization: Bearer ${account.token}`])
    recordRun('Schemathesis, signed in', result)
    expect({ code: result.code, failures: result.failures }, result.output.slice(-8000)).toEqual({ code: 0, failures: 0 })
  }, 300_000)
})
