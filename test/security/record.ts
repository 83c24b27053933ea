import { afterAll, beforeEach } from 'vitest'
import { recordFigures } from '../setup/figures.ts'
import { testEnv } from '../setup/env.ts'
import type { SecurityResult } from './results.ts'

// How the security tests record their figures (the table is in results.ts).

/** Records a check's figures when the run collects them (npm test does). */
export function recordSecurityResult(result: SecurityResult) {
  const file = testEnv.securityResultsFile
  if (file) recordFigures(file, result)
}

/**
 * A check's running count over a test file, recorded once the file's tests have run. A test that
 * failed after sending requests of this check counts as at least one failure, whatever the test
 * counted itself.
 */
export function tally(check: string, notes: () => string = () => '') {
  const counts = { requests: 0, failures: 0 }
  let failedTests = 0
  beforeEach((context) => {
    const sentBefore = counts.requests
    context.onTestFailed(() => { if (counts.requests !== sentBefore) failedTests++ })
  })
  afterAll(() => recordSecurityResult({ check, requests: counts.requests, failures: Math.max(counts.failures, failedTests), notes: notes() }))
  return counts
}
