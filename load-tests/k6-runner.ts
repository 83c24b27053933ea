import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The k6 scripts (JavaScript for k6's runtime, not Node's). */
export const k6Scripts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'k6')

/** k6's exit code when the run finished but some threshold was crossed. */
export const THRESHOLDS_CROSSED = 99

export interface K6RunOptions {
  /** A script under load-tests/k6, e.g. `starling.js`. */
  script: string
  /** `-e` variables the script reads from __ENV (GATEWAY_URL, PROFILE, ...). */
  env?: Record<string, string | number>
  /** Writes the end-of-test summary as JSON to this file (see readSummary). */
  summaryExport?: string
  /** `inherit` prints k6's progress and summary here; `capture` returns them as `output`. */
  output?: 'inherit' | 'capture'
  args?: string[]
}

/**
 * Runs `k6 run` and resolves with its exit code: 0 when every threshold held, 99 when one was
 * crossed. No usage report leaves the machine, and no REST API port is taken, so runs can overlap.
 */
export function runK6(k6: string, options: K6RunOptions): Promise<{ code: number | null; output: string }> {
  const args = ['run', '--no-usage-report', '--address', '']
  for (const [name, value] of Object.entries(options.env ?? {})) args.push('-e', `${name}=${value}`)
  if (options.summaryExport) args.push('--summary-export', options.summaryExport)
  if (options.output === 'capture') args.push('--quiet', '--no-color')
  args.push(...(options.args ?? []), path.join(k6Scripts, options.script))
  const child = spawn(k6, args, { cwd: k6Scripts, stdio: options.output === 'capture' ? ['ignore', 'pipe', 'pipe'] : 'inherit' })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

/** A metric in k6's --summary-export file: its statistics and, per threshold, whether it was crossed. */
export interface SummaryMetric {
  thresholds?: Record<string, boolean>
  [stat: string]: number | Record<string, boolean> | undefined
}
export interface K6Summary {
  metrics: Record<string, SummaryMetric>
}

export const readSummary = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as K6Summary

/** Every threshold of the run, as `metric: expression`, with whether it held. */
export function thresholdResults(summary: K6Summary) {
  return Object.entries(summary.metrics).flatMap(([metric, values]) =>
    Object.entries(values.thresholds ?? {}).map(([expression, crossed]) => ({ threshold: `${metric}: ${expression}`, held: !crossed })))
}

/** A statistic of a metric (`p(99)`, `rate`, `count`...), or undefined when the run has none. */
export function stat(summary: K6Summary, metric: string, name: string): number | undefined {
  const value = summary.metrics[metric]?.[name]
  return typeof value === 'number' ? value : undefined
}
