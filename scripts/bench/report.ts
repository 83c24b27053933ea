// The benchmark's report: a table (figure, baseline, ratio, target, met/missed) for the terminal
// and Markdown, the raw numbers as JSON, and a bar chart as SVG rendered to PNG with resvg.
import fs from 'node:fs'
import path from 'node:path'
import { Resvg } from '@resvg/resvg-js'

export interface Row {
  figure: string
  value: string
  baseline: string
  /** value / baseline, when both are numbers of the same kind. */
  ratio: number | undefined
  target: string
  /** undefined when the figure has no target (reported for context). */
  met: boolean | undefined
  /** For the chart: the share of the target's budget used (≤ 1 met), when there is a target. */
  budgetUsed?: number
  /** For the chart: a short name. */
  label?: string
}

export interface MemoryRow {
  component: string
  rssBytes: number
}

export interface Throughput {
  label: string
  baseline: number
  ordinary: number
  celebrity: number
}

export interface BenchReport {
  startedAt: string
  durationSeconds: number
  machine: { cpus: number; model: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] }
  settings: Record<string, number | string>
  stackChanges: string[]
  rows: Row[]
  throughput: Throughput[]
  memory: MemoryRow[]
  baselineMemory: MemoryRow[]
  notes: string[]
  raw: Record<string, number | undefined>
}

const fmtRatio = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(2)}×`)
const fmtMet = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'met' : 'MISSED')
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`

export function textTable(rows: Row[]) {
  const header = ['figure', 'measured', 'baseline', 'ratio', 'target', 'result']
  const cells = rows.map((r) => [r.figure, r.value, r.baseline, fmtRatio(r.ratio), r.target, fmtMet(r.met)])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

export function markdown(report: BenchReport, pngName: string) {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  const m = report.machine
  return [
    '# Starling benchmark',
    '',
    `Run ${report.startedAt}, ${report.durationSeconds.toFixed(0)} s, by \`npm run bench\` on ${m.cpus} × ${m.model}.`,
    `Load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join(' / ')} at the start and ${m.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' / ')} at the end`
      + ' (1/5/15 min): anything else running on the machine shows here and lowers every figure.',
    '',
    `![figures](${pngName})`,
    '',
    row(['figure', 'measured', 'baseline', 'ratio', 'target', 'result']),
    row(['---', '---', '---', '---', '---', '---']),
    ...report.rows.map((r) => row([r.figure, r.value, r.baseline, fmtRatio(r.ratio), r.target, fmtMet(r.met)])),
    '',
    '## Memory at the end (RSS of each process with its children)',
    '',
    row(['component', 'RSS']),
    row(['---', '---']),
    ...report.memory.map((r) => row([r.component, mib(r.rssBytes)])),
    ...report.baselineMemory.map((r) => row([`${r.component} (baseline)`, mib(r.rssBytes)])),
    '',
    '## How it was measured',
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
    '## Settings',
    '',
    ...Object.entries(report.settings).map(([k, v]) => `- ${k}: ${v}`),
    ...report.stackChanges.map((c) => `- stack: ${c}`),
    '',
  ].join('\n')
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Two panels: requests/s beside the baseline, and each target's budget used (≤ 100% met). */
export function chartSvg(report: BenchReport) {
  const width = 1000
  const height = 560
  const parts: string[] = []
  const text = (x: number, y: number, body: string, attrs = '') => parts.push(`<text x="${x}" y="${y}" ${attrs}>${escape(body)}</text>`)
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  text(20, 30, `Starling benchmark, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.machine.cpus} cores`, 'font-size="18" font-weight="bold"')

  // Left: requests/s, grouped bars.
  const left = { x: 40, y: 90, w: 400, h: 370 }
  text(left.x, 66, 'requests/s (higher is better)', 'font-size="14"')
  const max = 1.05 * Math.max(1, ...report.throughput.flatMap((t) => [t.baseline, t.ordinary, t.celebrity]))
  const colors = { baseline: '#9e9e9e', ordinary: '#1e88e5', celebrity: '#8e24aa' }
  const groupWidth = left.w / Math.max(1, report.throughput.length)
  report.throughput.forEach((group, g) => {
    const series = [['baseline', group.baseline], ['ordinary', group.ordinary], ['celebrity', group.celebrity]] as const
    series.forEach(([name, value], s) => {
      const barHeight = (value / max) * left.h
      const x = left.x + g * groupWidth + 15 + s * ((groupWidth - 30) / 3)
      const y = left.y + left.h - barHeight
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${((groupWidth - 30) / 3 - 6).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${colors[name]}"/>`)
      text(x, y - 4, value.toFixed(0), 'font-size="11"')
    })
    text(left.x + g * groupWidth + 15, left.y + left.h + 18, group.label, 'font-size="12"')
  })
  parts.push(`<line x1="${left.x}" y1="${left.y + left.h}" x2="${left.x + left.w}" y2="${left.y + left.h}" stroke="#333"/>`)
  Object.entries({ 'baseline: nginx + minimal Fastify': colors.baseline, 'Starling, ordinary authors': colors.ordinary, 'Starling, with high-follower authors': colors.celebrity }).forEach(([name, color], i) => {
    parts.push(`<rect x="${left.x}" y="${left.y + left.h + 30 + i * 16}" width="10" height="10" fill="${color}"/>`)
    text(left.x + 14, left.y + left.h + 39 + i * 16, name, 'font-size="11"')
  })

  // Right: budget used per target.
  const right = { x: 500, y: 80, w: 400, h: 440 }
  text(right.x, 66, 'share of each target used (≤ 100% is met)', 'font-size="14"')
  const targeted = report.rows.filter((r) => r.budgetUsed !== undefined)
  const rowHeight = Math.min(44, right.h / Math.max(1, targeted.length))
  const scale = Math.max(1.5, ...targeted.map((r) => Math.min(r.budgetUsed!, 4)))
  const at100 = right.x + right.w / scale
  targeted.forEach((r, i) => {
    const y = right.y + i * rowHeight
    const used = Math.min(r.budgetUsed!, scale)
    const label = r.label ?? r.figure
    text(right.x, y + 12, label.length > 64 ? `${label.slice(0, 63)}…` : label, 'font-size="11"')
    parts.push(`<rect x="${right.x}" y="${y + 16}" width="${((used / scale) * right.w).toFixed(1)}" height="14" fill="${r.met ? '#43a047' : '#e53935'}"/>`)
    parts.push(`<line x1="${at100.toFixed(1)}" y1="${y + 14}" x2="${at100.toFixed(1)}" y2="${y + 32}" stroke="#333" stroke-dasharray="3 2"/>`)
    text(right.x + (used / scale) * right.w + 4, y + 27, `${Number.isFinite(r.budgetUsed!) ? (r.budgetUsed! * 100).toFixed(0) : '∞'}%`, 'font-size="11"')
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`
}

/** Writes <stamp>.{json,md,png} and latest.{json,md,png} into `dir`; returns the files. */
export function saveReport(report: BenchReport, dir: string) {
  fs.mkdirSync(dir, { recursive: true })
  const stamp = report.startedAt.replace(/[:.]/g, '-')
  const png = new Resvg(chartSvg(report), { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng()
  const files: string[] = []
  for (const name of [stamp, 'latest']) {
    const write = (ext: string, body: string | Buffer) => {
      const file = path.join(dir, `${name}.${ext}`)
      fs.writeFileSync(file, body)
      files.push(file)
    }
    write('json', `${JSON.stringify(report, null, 2)}\n`)
    write('md', markdown(report, `${name}.png`))
    write('png', png)
  }
  return files
}
