import { markdownTable } from '../setup/figures.ts'

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

export function faultTable(rows: FaultResult[]) {
  if (rows.length === 0) return '(no fault case recorded a result)'
  return markdownTable(['case', 'operations', 'faults injected', 'missing', 'duplicated', 'time to converge', 'notes'], rows,
    (r) => [r.case, r.operations, r.faults, r.missing, r.duplicated, `${r.convergeSeconds.toFixed(1)} s`, r.notes ?? ''])
}
