import fs from 'node:fs'

// A suite's figures: each test appends its row to a file the runner names (scripts/faults.ts,
// scripts/test.ts), and the runner prints them as one table once every test has run.

export function recordFigures(file: string, row: object) {
  fs.appendFileSync(file, `${JSON.stringify(row)}\n`)
}

export function readFigures<T>(file: string): T[] {
  if (!fs.existsSync(file)) return []
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T)
}

/** A markdown table of `rows`, one column per header, `cell` giving a row's cells in order. */
export function markdownTable<T>(headers: string[], rows: T[], cell: (row: T) => (string | number)[]) {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${cell(row).join(' | ')} |`),
  ].join('\n')
}
