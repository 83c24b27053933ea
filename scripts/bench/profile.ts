// Where a phase's CPU went: each process of the stack (CPU time from /proc, before and after) and
// PostgreSQL's transactions by database (pg_stat_database), so a missed write target names its cost.
import fs from 'node:fs'
import pg from 'pg'
import { machineCpuSeconds, treeCpuSeconds } from './metrics.ts'

export interface StackProcess {
  name: string
  pid: number
}

/** Each process in the stack's run folder, once (nginx.pid and nginx-master.pid name the same one). */
export function stackProcesses(runDir: string, runningPid: (name: string) => number | undefined): StackProcess[] {
  const seen = new Set<number>()
  const out: StackProcess[] = []
  for (const file of fs.readdirSync(runDir).filter((f) => f.endsWith('.pid')).sort()) {
    const name = file.replace(/\.pid$/, '')
    const pid = runningPid(name)
    if (!pid || seen.has(pid)) continue
    seen.add(pid)
    out.push({ name: name.replace(/-master$/, ''), pid })
  }
  return out
}

interface StatementStats {
  database: string
  query: string
  calls: number
  ms: number
}

interface Snapshot {
  cpu: Map<string, number>
  machine: { all: number; idle: number }
  transactions: Map<string, number>
  /** WAL flushes of the whole server (pg_stat_wal.wal_sync, PostgreSQL 14 to 17); undefined where there is none. */
  walFlushes: number | undefined
  /** By database and query id; empty when the server does not load pg_stat_statements. */
  statements: Map<string, StatementStats>
}

export interface PhaseProfile {
  /** CPU milliseconds per unit of work (a tweet), by process, the largest first; "other" is everything outside the stack (k6, the bench). */
  processes: { name: string; msPerUnit: number; shareOfBusy: number }[]
  busyMsPerUnit: number
  /** The machine's idle share while the load ran (before the pipeline drained). */
  idleShare: number
  /** Committed and rolled-back transactions per unit of work, by database. */
  transactions: { database: string; perUnit: number }[]
  /** WAL flushes per unit of work: fewer than the writing transactions when concurrent commits share one. */
  walFlushesPerUnit: number | undefined
  /** The statements that took the most execution time, per unit of work. */
  statements: { database: string; query: string; callsPerUnit: number; msPerUnit: number }[]
}

async function postgresCounters(postgresUrl: string) {
  const db = new pg.Client({ connectionString: postgresUrl })
  await db.connect()
  try {
    const { rows } = await db.query<{ datname: string; n: string }>(
      "SELECT datname, (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname LIKE 'starling_%'",
    )
    const statements = new Map<string, StatementStats>()
    // The local stack's server loads pg_stat_statements (shared_preload_libraries); another may not.
    const loaded = await db.query("SELECT 1 FROM pg_settings WHERE name = 'shared_preload_libraries' AND setting ~ 'pg_stat_statements'")
    if (loaded.rowCount) {
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      const stats = await db.query<{ datname: string; queryid: string; query: string; calls: string; ms: number }>(
        `SELECT d.datname, s.queryid::text, s.query, s.calls::text, s.total_exec_time AS ms
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname LIKE 'starling_%'`,
      )
      for (const r of stats.rows) statements.set(`${r.datname}/${r.queryid}`, { database: r.datname, query: r.query, calls: Number(r.calls), ms: r.ms })
    }
    // PostgreSQL 18 moved the count to pg_stat_io.
    const wal = await db.query<{ n: string }>('SELECT wal_sync::text AS n FROM pg_stat_wal').catch(() => undefined)
    const walFlushes = wal?.rows[0] ? Number(wal.rows[0].n) : undefined
    return { transactions: new Map(rows.map((r) => [r.datname, Number(r.n)])), walFlushes, statements }
  } finally {
    await db.end()
  }
}

/** A statement as one short line: whitespace folded, at most `length` characters. */
const oneLine = (query: string, length = 90) => {
  const folded = query.replace(/\s+/g, ' ').trim()
  return folded.length > length ? `${folded.slice(0, length - 1)}…` : folded
}

export function createProfiler(options: { processes: () => StackProcess[]; postgresUrl: string }) {
  async function snapshot(): Promise<Snapshot> {
    return {
      cpu: new Map(options.processes().map((p) => [p.name, treeCpuSeconds(p.pid)])),
      machine: machineCpuSeconds(),
      ...(await postgresCounters(options.postgresUrl)),
    }
  }

  return {
    start: snapshot,
    /**
     * What happened since `before`, per unit of work (`units`: the tweets the phase made), once the
     * pipeline has drained; `loadEnded` is the machine's CPU time when the load stopped.
     */
    async since(before: Snapshot, units: number, loadEnded: { all: number; idle: number }): Promise<PhaseProfile> {
      // Statistics reach pg_stat_database about once a second after a transaction ends.
      await new Promise((resolve) => setTimeout(resolve, 1100))
      const after = await snapshot()
      const per = (value: number) => value / Math.max(1, units)
      const busy = (after.machine.all - after.machine.idle) - (before.machine.all - before.machine.idle)
      const used = [...after.cpu].map(([name, seconds]) => ({ name, seconds: seconds - (before.cpu.get(name) ?? seconds) }))
      const inStack = used.reduce((sum, p) => sum + p.seconds, 0)
      used.push({ name: 'other (k6, the bench, the system)', seconds: Math.max(0, busy - inStack) })
      return {
        processes: used.filter((p) => p.seconds > 0).sort((a, b) => b.seconds - a.seconds)
          .map((p) => ({ name: p.name, msPerUnit: per(p.seconds * 1000), shareOfBusy: busy > 0 ? p.seconds / busy : 0 })),
        busyMsPerUnit: per(busy * 1000),
        idleShare: (loadEnded.idle - before.machine.idle) / Math.max(1e-9, loadEnded.all - before.machine.all),
        transactions: [...after.transactions].map(([database, n]) => ({ database, perUnit: per(n - (before.transactions.get(database) ?? n)) }))
          .filter((t) => t.perUnit > 0).sort((a, b) => b.perUnit - a.perUnit),
        walFlushesPerUnit: after.walFlushes === undefined || before.walFlushes === undefined ? undefined : per(after.walFlushes - before.walFlushes),
        statements: [...after.statements].map(([key, stats]) => {
          const earlier = before.statements.get(key)
          return { database: stats.database, query: oneLine(stats.query), callsPerUnit: per(stats.calls - (earlier?.calls ?? 0)), msPerUnit: per(stats.ms - (earlier?.ms ?? 0)) }
        }).filter((s) => s.msPerUnit > 0).sort((a, b) => b.msPerUnit - a.msPerUnit).slice(0, 12),
      }
    },
  }
}
