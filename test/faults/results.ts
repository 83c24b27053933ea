import fs from 'node:fs'

/** One fault case's figures, as the suite's table shows them. */
export interface FaultResult {
  case: string
  operations: number
  faults: number
  missing: number
  duplicated: number
  /** From the last fault to everything in place, in seconds. */
  convergeSeconds: number
  notes?: string
}

/** Appends a case's figures to FAULT_RESULTS (scripts/faults.ts prints them all). */
export function recordFaultResult(file: string, result: FaultResult) {
  fs.appendFileSync(file, `${JSON.stringify(result)}\n`)
}

export function faultTable(rows: FaultResult[]) {
  const lines = [
    '| case | operations | faults injected | missing | duplicated | time to converge | notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.case} | ${r.operations} | ${r.faults} | ${r.missing} | ${r.duplicated} | ${r.convergeSeconds.toFixed(1)} s | ${r.notes ?? ''} |`),
  ]
  return rows.length > 0 ? lines.join('\n') : '(no fault case recorded a result)'
}
