// The benchmark's report: a table (figure, baseline, ratio, target, met/missed) for the terminal
// and Markdown, the raw numbers as JSON, and a bar chart as SVG rendered to PNG with resvg.
import fs from 'node:fs'
import path from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import type { GrowthTable } from './growth.ts'

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
  /** The stack it ran on: one of each server, or STACK_TOPOLOGY=cluster. */
  topology: 'single' | 'cluster'
  /** On the cluster: the latest single-node run's rows, to set each figure beside. */
  single?: { startedAt: string; rows: Row[] }
  durationSeconds: number
  machine: { cpus: number; model: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] }
  settings: Record<string, number | string>
  stackChanges: string[]
  rows: Row[]
  /** How each cost grows with the work (growth.ts). */
  growth: GrowthTable[]
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

function plainTable(header: string[], cells: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

export const growthText = (tables: GrowthTable[]) => tables.map((t) => `${t.title}\n${plainTable(t.columns, t.rows)}`).join('\n\n')

/**
 * Each figure of a cluster run beside the same figure of the latest single-node run, each as the
 * ratio to its own run's baseline (the two runs' machines were not loaded alike).
 */
function besideSingle(rows: Row[], single: NonNullable<BenchReport['single']>) {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [
    '## Beside the single-node run',
    '',
    `The same rows from the single-node run of ${single.startedAt} (bench-results/latest.md). Each ratio is to the baseline measured in its own run.`,
    '',
    row(['figure', 'single node', 'ratio', 'cluster', 'ratio']),
    row(['---', '---', '---', '---', '---']),
    ...rows.map((r) => {
      const other = single.rows.find((s) => s.label === r.label)
      return row([r.label ?? r.figure, other?.value ?? 'n/a', fmtRatio(other?.ratio), r.value, fmtRatio(r.ratio)])
    }),
    '',
  ]
}

export function markdown(report: BenchReport, pngName: string, growthPngName: string) {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  const m = report.machine
  return [
    '# Starling benchmark',
    '',
    `Run ${report.startedAt}, ${report.durationSeconds.toFixed(0)} s, by \`${report.topology === 'cluster' ? 'STACK_TOPOLOGY=cluster ' : ''}npm run bench\` on ${m.cpus} × ${m.model}`
      + `${report.topology === 'cluster' ? ', on the clustered topology (three Kafka, six Redis, three Elasticsearch, two of every service process)' : ''}.`,
    `Load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join(' / ')} at the start and ${m.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' / ')} at the end`
      + ' (1/5/15 min): anything else running on the machine shows here and lowers every figure.',
    '',
    `![figures](${pngName})`,
    '',
    row(['figure', 'measured', 'baseline', 'ratio', 'target', 'result']),
    row(['---', '---', '---', '---', '---', '---']),
    ...report.rows.map((r) => row([r.figure, r.value, r.baseline, fmtRatio(r.ratio), r.target, fmtMet(r.met)])),
    '',
    ...(report.single ? besideSingle(report.rows, report.single) : []),
    '## How each cost grows',
    '',
    `![growth](${growthPngName})`,
    '',
    ...report.growth.flatMap((t) => [
      `### ${t.title}`,
      '',
      row(t.columns),
      row(t.columns.map(() => '---')),
      ...t.rows.map(row),
      '',
      ...(t.note ? [t.note, ''] : []),
    ]),
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

/** One small bar chart per growth table, two to a row. */
export function growthSvg(tables: GrowthTable[]) {
  const panel = { w: 480, h: 260 }
  const width = panel.w * 2 + 40
  const height = Math.ceil(tables.length / 2) * (panel.h + 30) + 30
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#ffffff"/>`]
  const text = (x: number, y: number, body: string, attrs = '') => parts.push(`<text x="${x}" y="${y}" ${attrs}>${escape(body)}</text>`)
  const colors = ['#1e88e5', '#e53935', '#8e24aa']
  tables.forEach((table, t) => {
    const x0 = 20 + (t % 2) * (panel.w + 20)
    const y0 = 20 + Math.floor(t / 2) * (panel.h + 30)
    const title = table.title.length > 64 ? `${table.title.slice(0, 63)}…` : table.title
    text(x0, y0 + 14, title, 'font-size="12" font-weight="bold"')
    const plot = { x: x0 + 10, y: y0 + 40, w: panel.w - 30, h: panel.h - 90 }
    const values = table.plot.series.flatMap((s) => s.values.filter(Number.isFinite))
    const max = 1.1 * Math.max(1e-9, ...values)
    const groupWidth = plot.w / Math.max(1, table.plot.x.length)
    const barWidth = (groupWidth - 20) / Math.max(1, table.plot.series.length)
    table.plot.x.forEach((label, i) => {
      table.plot.series.forEach((series, s) => {
        const value = series.values[i] ?? NaN
        const barHeight = Number.isFinite(value) ? (value / max) * plot.h : 0
        const x = plot.x + i * groupWidth + 10 + s * barWidth
        parts.push(`<rect x="${x.toFixed(1)}" y="${(plot.y + plot.h - barHeight).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${colors[s % colors.length]}"/>`)
        text(x, plot.y + plot.h - barHeight - 3, Number.isFinite(value) ? (value < 10 ? value.toFixed(1) : value.toFixed(0)) : 'n/a', 'font-size="10"')
      })
      text(plot.x + i * groupWidth + 10, plot.y + plot.h + 14, label, 'font-size="11"')
    })
    parts.push(`<line x1="${plot.x}" y1="${plot.y + plot.h}" x2="${plot.x + plot.w}" y2="${plot.y + plot.h}" stroke="#333"/>`)
    const legend = table.plot.series.map((s) => s.name).join(', ')
    text(x0 + 10, y0 + panel.h - 18, `${table.plot.unit}${table.plot.series.length > 1 ? ` — ${legend} (${table.plot.series.map((_, s) => ['blue', 'red', 'purple'][s]).join(', ')})` : ''}`, 'font-size="11" fill="#555"')
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`
}

/** Writes <stamp>.{json,md,png,growth.png} and the same as latest.* into `dir` (cluster-<stamp>.* and cluster-latest.* on the clustered topology); returns the files. */
export function saveReport(report: BenchReport, dir: string) {
  fs.mkdirSync(dir, { recursive: true })
  const stamp = report.startedAt.replace(/[:.]/g, '-')
  const render = (svg: string) => new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng()
  const png = render(chartSvg(report))
  const growthPng = render(growthSvg(report.growth))
  const files: string[] = []
  const prefix = report.topology === 'cluster' ? 'cluster-' : ''
  for (const name of [`${prefix}${stamp}`, `${prefix}latest`]) {
    const write = (ext: string, body: string | Buffer) => {
      const file = path.join(dir, `${name}.${ext}`)
      fs.writeFileSync(file, body)
      files.push(file)
    }
    write('json', `${JSON.stringify(report, null, 2)}\n`)
    write('md', markdown(report, `${name}.png`, `${name}.growth.png`))
    write('png', png)
    write('growth.png', growthPng)
  }
  return files
}
