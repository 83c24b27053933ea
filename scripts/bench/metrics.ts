// What the benchmark reads from the running processes: Prometheus text from the services' /metrics
// (histogram quantiles, consumer lag, outbox backlog), and resident memory and CPU time from /proc.
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

export async function scrape(url: string) {
  const response = await fetch(`${url}/metrics`)
  if (!response.ok) throw new Error(`GET ${url}/metrics answered ${response.status}`)
  return response.text()
}

/** The samples of one metric family: labels (as written) and value, e.g. for `name_bucket`. */
function samples(text: string, name: string) {
  const out: { labels: string; value: number }[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line)
    if (match && match[1] === name) out.push({ labels: match[2] ?? '', value: Number(match[3]) })
  }
  return out
}

/** Sum of every series of a gauge or counter (0 when there is none). */
export const total = (text: string, name: string) => samples(text, name).reduce((sum, s) => sum + s.value, 0)

export interface Histogram {
  /** Cumulative counts per upper bound, ascending, +Inf last. */
  buckets: { le: number; count: number }[]
  count: number
  sum: number
}

/** A histogram, summed over the series whose labels include every one of `labels`. */
export function histogram(text: string, name: string, labels: Record<string, string> = {}): Histogram {
  const wanted = (s: { labels: string }) => Object.entries(labels).every(([k, v]) => s.labels.includes(`${k}="${v}"`))
  const byBound = new Map<number, number>()
  for (const s of samples(text, `${name}_bucket`).filter(wanted)) {
    const raw = /le="([^"]+)"/.exec(s.labels)?.[1] ?? '+Inf'
    const le = raw === '+Inf' ? Infinity : Number(raw)
    byBound.set(le, (byBound.get(le) ?? 0) + s.value)
  }
  const sum = (suffix: string) => samples(text, `${name}_${suffix}`).filter(wanted).reduce((a, s) => a + s.value, 0)
  return { buckets: [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le), count: sum('count'), sum: sum('sum') }
}

/** What was observed between two scrapes of the same histogram. */
export function difference(after: Histogram, before: Histogram): Histogram {
  return {
    buckets: after.buckets.map((b, i) => ({ le: b.le, count: b.count - (before.buckets[i]?.count ?? 0) })),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  }
}

/**
 * The q-quantile, interpolated linearly inside its bucket as Prometheus' histogram_quantile does:
 * only as precise as the buckets (the timeline's are 10, 25, 50, 100, 250, 500 ms, 1 s...).
 */
export function quantile(h: Histogram, q: number): number | undefined {
  if (h.count <= 0) return undefined
  const rank = q * h.count
  let lower = 0
  let below = 0
  for (const bucket of h.buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lower
      const inBucket = bucket.count - below
      return lower + (bucket.le - lower) * (inBucket > 0 ? (rank - below) / inBucket : 0)
    }
    lower = bucket.le
    below = bucket.count
  }
  return lower
}

/**
 * Waits until the event pipeline is idle: no consumer behind, no outbox backlog, and no event
 * consumed anywhere for a second. Returns the seconds it took, or undefined at the deadline.
 */
export async function untilQuiet(serviceUrls: string[], timeoutMs = 120_000) {
  const started = Date.now()
  let last = -1
  while (Date.now() - started < timeoutMs) {
    const texts = await Promise.all(serviceUrls.map((url) => scrape(url).catch(() => '')))
    const behind = texts.reduce((sum, t) => sum + total(t, 'kafka_consumer_lag_messages') + total(t, 'outbox_pending_events'), 0)
    const consumed = texts.reduce((sum, t) => sum + total(t, 'events_consumed_total'), 0)
    if (behind === 0 && consumed === last) return (Date.now() - started) / 1000
    last = consumed
    await sleep(1000)
  }
  return undefined
}

/** A process and all its descendants, from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const ppid = Number(statFields(Number(entry))[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch { /* gone meanwhile */ }
  }
  const tree: number[] = []
  const pending = [pid]
  while (pending.length > 0) {
    const current = pending.pop()!
    tree.push(current)
    pending.push(...(children.get(current) ?? []))
  }
  return tree
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): state is [0], ppid [1]. */
function statFields(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** Resident memory (VmRSS, bytes) of a process and all its descendants, from /proc. */
export function treeRss(pid: number) {
  let bytes = 0
  for (const current of processTree(pid)) {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${current}/status`, 'utf8'))?.[1]
      bytes += Number(kb ?? 0) * 1024
    } catch { /* gone meanwhile */ }
  }
  return bytes
}

// Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux Starling runs on.
const TICKS_PER_SECOND = 100

/**
 * CPU time (user and system, seconds) a process and all its descendants have used, including
 * children that ended and were waited for (utime, stime, cutime, cstime of /proc/<pid>/stat).
 */
export function treeCpuSeconds(pid: number) {
  let ticks = 0
  for (const current of processTree(pid)) {
    try {
      const fields = statFields(current)
      // utime, stime, cutime, cstime are fields 14-17 of stat, 11-14 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    } catch { /* gone meanwhile */ }
  }
  return ticks / TICKS_PER_SECOND
}

/** The machine's CPU time so far (seconds summed over every core): all of it, and the idle part. */
export function machineCpuSeconds() {
  const [, ...times] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
  const values = times.map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const all = values.slice(0, 8).reduce((a, b) => a + b, 0)
  return { all: all / TICKS_PER_SECOND, idle: ((values[3] ?? 0) + (values[4] ?? 0)) / TICKS_PER_SECOND }
}
