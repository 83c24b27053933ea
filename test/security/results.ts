import { markdownTable } from '../setup/figures.ts'

/** One security check's figures, as the suite's table shows them (scripts/test.ts). */
export interface SecurityResult {
  check: string
  /** Requests sent, where the check sends them. */
  requests?: number
  /** Answers that broke a promise: a 5xx, a hang, an undocumented answer, a quota moved. */
  failures: number
  notes?: string
}

export function securityTable(rows: SecurityResult[]) {
  if (rows.length === 0) return '(no security check recorded a result)'
  return markdownTable(['check', 'requests', 'failures', 'notes'], rows, (r) => [r.check, r.requests ?? '', r.failures, r.notes ?? ''])
}
