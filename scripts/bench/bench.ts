// `npm run bench`: a reproducible benchmark of the local stack against a same-run baseline (the
// gateway's nginx template in front of a minimal Fastify app), with k6 as the only load generator.
// Restarts the services and nginx with the bench's settings and leaves them so; prints the table
// and saves it under bench-results/ (latest.{md,json,png} are the committed summary).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { raisedLimitsEnv, setEnv } from '../../load-tests/config.ts'
import { readSummary, runK6, stat, type K6Summary } from '../../load-tests/k6-runner.ts'
import { createClient } from './client.ts'
import { benchConfig as cfg, benchStackEnv } from './config.ts'
import { difference, histogram, machineCpuSeconds, quantile, scrape, total, treeRss, untilQuiet } from './metrics.ts'
import { createProfiler, stackProcesses, type PhaseProfile } from './profile.ts'
import { buildGrowthWorld, fanoutGrowth, PAGE_DEPTHS, pageCursors, PULLED_COUNTS, redisBytes, type GrowthTable } from './growth.ts'
import { closeSockets, likeDelivery, openSockets } from './sockets.ts'
import { growthText, saveReport, textTable, type BenchReport, type MemoryRow, type Row } from './report.ts'
import { activate, buildWorld } from './world.ts'
import { measureWebClient } from './web-client.ts'

const log = (line: string) => process.stderr.write(`bench: ${line}\n`)
const startedAt = new Date()
const loadAverageAtStart = os.loadavg()

// The stack library reads these when it loads and when it starts the services and nginx.
const changes = { ...raisedLimitsEnv(), ...benchStackEnv() }
setEnv(changes)
const { stack } = await import('../stack/config.ts')
const { gatewayUrl } = await import('../stack/components/nginx.ts')
const { allInstances, instancesOf, services } = await import('../stack/components/services.ts')
const { goTool } = await import('../stack/components/tools.ts')
const { postgresUrl } = await import('../stack/components/postgres.ts')
const { redisUrl } = await import('../stack/components/redis.ts')
const { runningPid } = await import('../stack/process.ts')
const { down, isUp, restartServices, up } = await import('../stack/stack.ts')
const { startBaseline } = await import('./baseline.ts')

/** Every instance of a service's API or worker (two each on the clustered topology). */
const urlsOf = (name: string, role: 'api' | 'worker') =>
  instancesOf(services.find((s) => s.name === name)!, [role]).map((i) => `http://127.0.0.1:${i.port}`)
// The consumers (their lag, fanout and indexing figures) run in the worker processes.
const workerUrls = services.filter((s) => s.workerPort).flatMap((s) => urlsOf(s.name, 'worker'))
/** The metrics of every instance as one text: histograms and totals then sum over the instances. */
const scrapeAll = async (urls: string[]) => (await Promise.all(urls.map(scrape))).join('\n')
const workerMetrics = (name: string) => scrapeAll(urlsOf(name, 'worker'))
const resultsDir = path.join(stack.root, 'bench-results')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-bench-'))
const notes: string[] = []
const warn = (line: string) => {
  log(`warning: ${line}`)
  notes.push(`**Warning:** ${line}`)
}

const ms = (value: number | undefined) => (value === undefined ? 'n/a' : value < 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(0)} ms`)
const perSecond = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(0)} req/s`)
/** The soft open-file limit of a process (/proc/<pid>/limits). */
const openFileLimit = (pid: number) => Number(/Max open files\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1] ?? Infinity)
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b)

async function main() {
  const wasRunning = await isUp()
  log(`${wasRunning ? 'restarting' : 'starting'} the seven services and nginx with ${Object.entries(changes).map(([k, v]) => `${k}=${v}`).join(' ')}`)
  const handle = wasRunning ? await restartServices() : await up()
  const servicePids = () => allInstances().map((i) => runningPid(i.daemon))
  const pidsAtStart = servicePids().join(',')
  const k6 = goTool('k6')
  const gateway = gatewayUrl()
  const api = createClient(gateway)
  const baseline = await startBaseline(work)
  log(`baseline: nginx from the gateway's template at ${baseline.url}, in front of a minimal Fastify app`)

  try {
    const world = await buildWorld(api, cfg.celebrityThreshold, log)
    const quiet = async (what: string) => {
      const took = await untilQuiet(workerUrls)
      if (took === undefined) warn(`the event pipeline was still busy 120 s after ${what}; later figures include that backlog`)
      else log(`pipeline idle ${took.toFixed(0)} s after ${what}`)
    }
    await quiet('building the world')
    await activate(api, world)
    const worldFile = path.join(work, 'world.json')
    fs.writeFileSync(worldFile, JSON.stringify(world))

    // Check that the two kinds of readers take the two paths: only the second merges at read time.
    const pulls = async () => total(await scrapeAll(urlsOf('timeline', 'api')), 'timeline_pull_merges_total')
    const p0 = await pulls()
    await api.timeline(world.ordinaryReaders[0]!)
    const p1 = await pulls()
    await api.timeline(world.celebrityReaders[0]!)
    const p2 = await pulls()
    if (p1 !== p0 || p2 <= p1) warn(`read-time merges did not follow the world's shape (ordinary reader +${p1 - p0}, high-follower reader +${p2 - p1}); was TIMELINE_CELEBRITY_THRESHOLD applied?`)

    const k6run = async (label: string, script: string, env: Record<string, string | number>): Promise<K6Summary> => {
      const file = path.join(work, `${label}.json`)
      const { code, output } = await runK6(k6, { script, env: { WORLD: worldFile, ...env }, summaryExport: file, output: 'capture' })
      if (code !== 0) throw new Error(`k6 (${label}) exited ${code}:\n${output.slice(-3000)}`)
      const summary = readSummary(file)
      const failed = stat(summary, 'http_req_failed', 'value') ?? 0
      if (failed > 0.001) warn(`${label}: ${(failed * 100).toFixed(2)}% of requests failed`)
      return summary
    }
    const phase = `${cfg.phaseSeconds}s`

    /** Saturation with a fixed number of VUs, then latency at 70% of the rate it reached. */
    async function reads(label: string, url: string, group: string) {
      const closed = await k6run(`read-${label}-saturation`, 'bench/http.js', { GATEWAY_URL: url, OP: 'read', GROUP: group, MODE: 'closed', VUS: cfg.readVus, DURATION: phase })
      const rps = stat(closed, 'http_reqs', 'rate') ?? 0
      const rate = Math.max(1, Math.round(rps * 0.7))
      const open = await k6run(`read-${label}-70`, 'bench/http.js', { GATEWAY_URL: url, OP: 'read', GROUP: group, MODE: 'rate', RATE: rate, VUS: cfg.readVus, DURATION: phase })
      const dropped = stat(open, 'dropped_iterations', 'count') ?? 0
      if (dropped > rate * cfg.phaseSeconds * 0.01) warn(`${label} reads: ${dropped} requests could not be started at ${rate} req/s (the load generator ran out of VUs: the service fell behind)`)
      const result = { rps, rate, p50: stat(open, 'http_req_duration', 'med'), p99: stat(open, 'http_req_duration', 'p(99)') }
      log(`reads ${label}: ${rps.toFixed(0)} req/s with ${cfg.readVus} VUs; at ${rate} req/s p50 ${ms(result.p50)}, p99 ${ms(result.p99)}`)
      return result
    }
    const baseRead = await reads('baseline', baseline.url, 'ordinaryReaders')
    const ordinaryRead = await reads('ordinary', gateway, 'ordinaryReaders')
    const celebrityRead = await reads('high-follower', gateway, 'celebrityReaders')

    const profiler = createProfiler({ processes: () => stackProcesses(stack.run, runningPid), postgresUrl: postgresUrl('postgres') })
    /** `profile`: also where the CPU went, per tweet, until the pipeline had drained. */
    async function writes(label: string, url: string, group: string, options: { profile?: boolean; vus?: number } = {}) {
      const vus = options.vus ?? cfg.writeVus
      const before = options.profile ? await profiler.start() : undefined
      const summary = await k6run(`write-${label}`, 'bench/http.js', { GATEWAY_URL: url, OP: 'write', GROUP: group, MODE: 'closed', VUS: vus, DURATION: phase })
      const loadEnded = machineCpuSeconds()
      const result = { rps: stat(summary, 'http_reqs', 'rate'), p99: stat(summary, 'http_req_duration', 'p(99)'), cost: undefined as PhaseProfile | undefined }
      log(`writes ${label}: ${perSecond(result.rps)} with ${vus} VUs, p99 ${ms(result.p99)}`)
      if (url !== baseline.url) await quiet(`the ${label} writes`)
      if (before) {
        result.cost = await profiler.since(before, stat(summary, 'http_reqs', 'count') ?? 0, loadEnded)
        log(`writes ${label}: ${result.cost.busyMsPerUnit.toFixed(1)} ms of CPU per tweet; ${(result.cost.idleShare * 100).toFixed(0)}% idle while writing`)
      }
      return result
    }
    const baseWrite = await writes('baseline', baseline.url, 'ordinaryAuthors')
    const ordinaryWrite = await writes('ordinary', gateway, 'ordinaryAuthors', { profile: true })
    const celebrityWrite = await writes('high-follower', gateway, 'celebrities')

    // Each hop of the pipeline, as the processes on the path observed it during the sustained writes.
    const hops: { hop: string; service: string; name: string; labels: Record<string, string> }[] = [
      { hop: 'tweet created → Kafka acknowledged it (commit, relay wake-up, publish)', service: 'tweet', name: 'outbox_publish_delay_seconds', labels: { topic: 'starling.tweets.v1' } },
      { hop: 'tweet created → timeline fanout starts on it', service: 'timeline', name: 'event_consume_delay_seconds', labels: { group: 'timeline-fanout', topic: 'starling.tweets.v1' } },
      { hop: 'tweet created → in every follower\'s home timeline', service: 'timeline', name: 'timeline_fanout_lag_seconds', labels: {} },
      { hop: 'tweet created → search indexer starts on it', service: 'search', name: 'event_consume_delay_seconds', labels: { group: 'search-indexer', topic: 'starling.tweets.v1' } },
      { hop: 'tweet created → document written (searchable after the next refresh)', service: 'search', name: 'search_index_lag_seconds', labels: {} },
      { hop: 'like created → Kafka acknowledged it', service: 'tweet', name: 'outbox_publish_delay_seconds', labels: { topic: 'starling.engagements.v1' } },
      { hop: 'like created → notification consumer starts on it', service: 'notification', name: 'event_consume_delay_seconds', labels: { group: 'notification-inbox', topic: 'starling.engagements.v1' } },
    ]
    const hopsBefore = await Promise.all(hops.map(async (h) => histogram(await workerMetrics(h.service), h.name, h.labels)))
    const lagBefore = histogram(await workerMetrics('timeline'), 'timeline_fanout_lag_seconds')
    const indexLagBefore = histogram(await workerMetrics('search'), 'search_index_lag_seconds')
    const pipeline = await k6run('pipeline', 'bench/pipeline.js', { GATEWAY_URL: gateway, WRITE_RATE: cfg.writeRate, DURATION: `${cfg.pipelineSeconds}s` })
    await quiet('the sustained writes')
    const lag = difference(histogram(await workerMetrics('timeline'), 'timeline_fanout_lag_seconds'), lagBefore)
    const hopFigures = await Promise.all(hops.map(async (h, i) => {
      const observed = difference(histogram(await workerMetrics(h.service), h.name, h.labels), hopsBefore[i]!)
      return { ...h, count: observed.count, p50: (quantile(observed, 0.5) ?? NaN) * 1000, p99: (quantile(observed, 0.99) ?? NaN) * 1000 }
    }))
    for (const h of hopFigures) log(`hop: ${h.hop}: p50 ${ms(h.p50)}, p99 ${ms(h.p99)} (${h.count} events)`)
    // What else a search-freshness probe waits for, as the probing client saw it.
    for (const [metric, hop] of [['search_post', 'the freshness probe\'s POST /tweets/ (client)'], ['search_request', 'each search request of the freshness probe (client)']] as const) {
      hopFigures.push({ hop, service: 'k6', name: metric, labels: {}, count: stat(pipeline, metric, 'count') ?? 0, p50: stat(pipeline, metric, 'med') ?? NaN, p99: stat(pipeline, metric, 'p(99)') ?? NaN })
    }
    const fanoutP50 = (quantile(lag, 0.5) ?? NaN) * 1000
    const fanoutP99 = (quantile(lag, 0.99) ?? NaN) * 1000
    // Search freshness less the refresh and the polling: where the time goes when it misses.
    const indexLagP99 = (quantile(difference(histogram(await workerMetrics('search'), 'search_index_lag_seconds'), indexLagBefore), 0.99) ?? NaN) * 1000
    const visibleOrdinary = stat(pipeline, 'visible_ordinary', 'p(99)')
    const visibleCelebrity = stat(pipeline, 'visible_celebrity', 'p(99)')
    const searchP99 = stat(pipeline, 'searchable', 'p(99)')
    const notifyP99 = stat(pipeline, 'notification_delivery', 'p(99)')
    for (const [metric, what] of [['visible_in_time_ordinary', 'ordinary tweets visible within 5 s'], ['visible_in_time_celebrity', 'high-follower tweets visible within 5 s'],
      ['searchable_in_time', 'tweets found by search within 10 s'], ['notification_received', 'notifications received within 10 s']] as const) {
      const share = stat(pipeline, metric, 'value')
      if (share !== undefined && share < 1) warn(`only ${(share * 100).toFixed(1)}% of ${what}; the percentiles cover those that made it`)
    }
    const created = stat(pipeline, 'tweets_created', 'count') ?? 0
    if (lag.count < created * 0.99) {
      warn(`the fanout lag histogram observed ${lag.count} tweets, but the run created ${created}: the timeline's fanout consumer fell behind or stopped (see .stack/logs/service-timeline.log); the lag figures cover only what it got to`)
    }
    const droppedWrites = stat(pipeline, 'dropped_iterations', 'count') ?? 0
    if (droppedWrites > cfg.writeRate * cfg.pipelineSeconds * 0.01) warn(`${droppedWrites} of the sustained writes could not be started at ${cfg.writeRate}/s`)
    log(`fanout lag over ${lag.count} tweets at ${cfg.writeRate}/s: p50 ${ms(fanoutP50)}, p99 ${ms(fanoutP99)}; visible p99 ordinary ${ms(visibleOrdinary)}, high-follower ${ms(visibleCelebrity)}; search p99 ${ms(searchP99)} (indexed p99 ${ms(indexLagP99)}); notification p99 ${ms(notifyP99)}`)

    // The fanout lag at four times the rate: how the pipeline's tail grows with the load.
    const fastLagBefore = histogram(await workerMetrics('timeline'), 'timeline_fanout_lag_seconds')
    await k6run('pipeline-fast', 'bench/pipeline.js', { GATEWAY_URL: gateway, WRITE_RATE: cfg.fastWriteRate, DURATION: `${cfg.fastPipelineSeconds}s` })
    await quiet(`${cfg.fastWriteRate} tweets/s`)
    const fastLag = difference(histogram(await workerMetrics('timeline'), 'timeline_fanout_lag_seconds'), fastLagBefore)
    const fastFanoutP99 = (quantile(fastLag, 0.99) ?? NaN) * 1000
    log(`fanout lag over ${fastLag.count} tweets at ${cfg.fastWriteRate}/s: p99 ${ms(fastFanoutP99)}`)

    // How each cost grows with the work.
    const growth: GrowthTable[] = [{
      title: `The pipeline hop by hop, at ${cfg.writeRate} tweets/s (each from the event's creation)`,
      columns: ['hop', 'events', 'p50', 'p99'],
      rows: hopFigures.map((h) => [h.hop, String(h.count), ms(h.p50), ms(h.p99)]),
      plot: { unit: 'ms', x: hopFigures.map((_, i) => `hop ${i + 1}`), series: [{ name: 'p50', values: hopFigures.map((h) => h.p50) }, { name: 'p99', values: hopFigures.map((h) => h.p99) }] },
      note: 'From the histograms of the processes on the path (outbox_publish_delay_seconds in the tweet worker\'s relay, event_consume_delay_seconds in each consumer, then each consumer\'s own end), scraped before and after the run; quantiles interpolated within buckets. Hops are numbered as listed.',
    }]
    const growthWorld = await buildGrowthWorld(api, world, log)
    await quiet('building the growth world')
    Object.assign(growthWorld, await pageCursors(api, growthWorld.depth1 ?? []))
    fs.writeFileSync(worldFile, JSON.stringify({ ...world, ...growthWorld }))
    const growthRate = Math.max(1, Math.round(ordinaryRead.rps * 0.5))
    const latencyAt = async (label: string, group: string) => {
      const env = { GATEWAY_URL: gateway, OP: 'read', GROUP: group, MODE: 'rate', RATE: growthRate, VUS: cfg.readVus }
      // A few seconds first, not counted: the first seconds after a change of readers run colder.
      await k6run(`growth-${label}-warm-up`, 'bench/http.js', { ...env, DURATION: '3s' })
      const summary = await k6run(`growth-${label}`, 'bench/http.js', { ...env, DURATION: phase })
      return { p50: stat(summary, 'http_req_duration', 'med') ?? NaN, p99: stat(summary, 'http_req_duration', 'p(99)') ?? NaN }
    }
    const byPulled = []
    for (const n of PULLED_COUNTS) byPulled.push({ n, ...(await latencyAt(`pulled-${n}`, `pulled${n}`)) })
    growth.push({
      title: `Home timeline read latency against the high-follower authors followed (merged at read time), at ${growthRate} req/s`,
      columns: ['high-follower follows', 'p50', 'p99'],
      rows: byPulled.map((r) => [String(r.n), ms(r.p50), ms(r.p99)]),
      plot: { unit: 'ms', x: byPulled.map((r) => String(r.n)), series: [{ name: 'p50', values: byPulled.map((r) => r.p50) }, { name: 'p99', values: byPulled.map((r) => r.p99) }] },
      note: 'Each reader also follows 10 ordinary authors; 10 readers per row.',
    })
    const byDepth = []
    for (const depth of PAGE_DEPTHS) {
      const readers = (growthWorld as Record<string, unknown[]>)[`depth${depth}`] ?? []
      if (readers.length === 0) warn(`no reader's timeline reached page ${depth}`)
      else byDepth.push({ depth, readers: readers.length, ...(await latencyAt(`depth-${depth}`, `depth${depth}`)) })
    }
    growth.push({
      title: `Home timeline read latency against page depth (20 entries a page), at ${growthRate} req/s`,
      columns: ['page', 'readers', 'p50', 'p99'],
      rows: byDepth.map((r) => [String(r.depth), String(r.readers), ms(r.p50), ms(r.p99)]),
      plot: { unit: 'ms', x: byDepth.map((r) => `page ${r.depth}`), series: [{ name: 'p50', values: byDepth.map((r) => r.p50) }, { name: 'p99', values: byDepth.map((r) => r.p99) }] },
      note: 'Readers who follow every ordinary author: 800 entries in their home timelines, page 40 is the last.',
    })

    // The tweet service's reads, through its cache: a signed-in reader's page of an author's tweets.
    const userTweets = await k6run('user-tweets-saturation', 'bench/http.js', { GATEWAY_URL: gateway, OP: 'user-tweets', GROUP: 'ordinaryReaders', AUTHORS: 'ordinaryAuthors', MODE: 'closed', VUS: cfg.readVus, DURATION: phase })
    const userTweetsRps = stat(userTweets, 'http_reqs', 'rate') ?? NaN
    log(`user timeline reads: ${userTweetsRps.toFixed(0)} req/s with ${cfg.readVus} VUs`)
    growth.push({
      title: 'Reads by kind: a signed-in reader\'s page of 20 (throughput, back to back)',
      columns: ['read', 'req/s', 'p99', 'ratio to baseline'],
      rows: [
        ['baseline (nginx + minimal Fastify)', baseRead.rps.toFixed(0), '—', '1.00×'],
        ['home timeline (timeline service)', ordinaryRead.rps.toFixed(0), '—', `${(ordinaryRead.rps / baseRead.rps).toFixed(2)}×`],
        ['a user\'s tweets (tweet service)', userTweetsRps.toFixed(0), ms(stat(userTweets, 'http_req_duration', 'p(99)')), `${(userTweetsRps / baseRead.rps).toFixed(2)}×`],
      ],
      plot: { unit: 'req/s', x: ['baseline', 'home timeline', 'user\'s tweets'], series: [{ name: 'req/s', values: [baseRead.rps, ordinaryRead.rps, userTweetsRps] }] },
      note: `${cfg.readVus} VUs each; the user timeline's readers read the tweets of the world's ordinary authors, warm after the first seconds.`,
    })

    const byWriters = []
    for (const vus of cfg.writerCounts) {
      const run = vus === cfg.writeVus ? ordinaryWrite : await writes(`${vus}-writers`, gateway, 'ordinaryAuthors', { profile: true, vus })
      byWriters.push({ vus, rps: run.rps ?? NaN, p99: run.p99 ?? NaN, flushes: run.cost?.walFlushesPerUnit })
    }
    growth.push({
      title: 'Tweet writes against concurrent writers',
      columns: ['writers', 'tweets/s', 'p99', 'WAL flushes per tweet'],
      rows: byWriters.map((r) => [String(r.vus), r.rps.toFixed(0), ms(r.p99), r.flushes === undefined ? 'n/a' : r.flushes.toFixed(2)]),
      plot: { unit: 'tweets/s', x: byWriters.map((r) => `${r.vus} writers`), series: [{ name: 'tweets/s', values: byWriters.map((r) => r.rps) }] },
      note: 'A tweet commits about three writing transactions across the databases (its own, the timeline\'s projection, the user counts, and a share of the relay\'s); WAL flushes of the whole server (pg_stat_wal) until the pipeline drained, over the tweets written. PostgreSQL\'s group commit lets transactions that commit together share a flush, with synchronous_commit on.',
    })

    const cost = ordinaryWrite.cost!
    // The processes a tweet costs something in (a twentieth of a millisecond or more); the rest in one row.
    const costly = cost.processes.filter((p) => p.msPerUnit >= 0.05)
    const rest = cost.processes.filter((p) => p.msPerUnit < 0.05)
    growth.push({
      title: `Where a tweet's CPU goes: ${cfg.writeVus} writers, until the pipeline has handled every tweet`,
      columns: ['process', 'CPU per tweet', 'share'],
      rows: [
        ...costly.map((p) => [p.name, ms(p.msPerUnit), `${(p.shareOfBusy * 100).toFixed(0)}%`]),
        ...(rest.length > 0 ? [[`${rest.length} more (${rest.map((p) => p.name).join(', ')})`, 'under 0.05 ms each', '']] : []),
        ['the whole machine', ms(cost.busyMsPerUnit), `${(cost.idleShare * 100).toFixed(0)}% idle while writing`],
      ],
      plot: { unit: 'ms of CPU per tweet', x: costly.slice(0, 8).map((p) => p.name.replace(/^other.*/, 'other').replace(/^service-(.*)/, '$1 API').replace(/^worker-(.*)/, '$1 wkr').replace('elasticsearch', 'ES')), series: [{ name: 'CPU', values: costly.slice(0, 8).map((p) => p.msPerUnit) }] },
      note: 'CPU time (user and system) of each process of the stack and its children from /proc, before the writes and after the pipeline had drained, over the tweets written; "other" is the rest of the machine\'s busy time. A process\'s share of the machine\'s busy time says what a tweet costs where; the idle share says whether the machine was the limit.',
    }, {
      title: 'PostgreSQL transactions per tweet, by database (same phase)',
      columns: ['database', 'transactions per tweet'],
      rows: [
        ...cost.transactions.map((t) => [t.database, t.perUnit.toFixed(2)]),
        ...(cost.walFlushesPerUnit === undefined ? [] : [['WAL flushes (fsync) of the whole server', cost.walFlushesPerUnit.toFixed(2)]]),
      ],
      plot: { unit: 'transactions per tweet', x: cost.transactions.map((t) => t.database.replace(/^starling_/, '')), series: [{ name: 'transactions', values: cost.transactions.map((t) => t.perUnit) }] },
      note: 'Committed and rolled-back transactions from pg_stat_database, before and after; WAL flushes from pg_stat_wal. Concurrent commits share a flush (PostgreSQL\'s group commit), so fewer flushes than writing transactions means writers did not each wait for their own; read-only transactions flush nothing.',
    })
    if (cost.statements.length > 0) {
      growth.push({
        title: 'PostgreSQL statements that took the most time per tweet (same phase)',
        columns: ['database', 'statement', 'calls per tweet', 'execution per tweet'],
        rows: cost.statements.map((s) => [s.database.replace(/^starling_/, ''), `\`${s.query.replaceAll('|', '\\|')}\``, s.callsPerUnit.toFixed(2), `${(s.msPerUnit * 1000).toFixed(0)} µs`]),
        plot: { unit: 'µs per tweet', x: cost.statements.map((_, i) => `#${i + 1}`), series: [{ name: 'execution', values: cost.statements.map((s) => s.msPerUnit * 1000) }] },
        note: 'From pg_stat_statements (total_exec_time: executing, not parsing, planning or waiting for the commit\'s flush), before and after. BEGIN and COMMIT are statements too.',
      })
    } else warn('pg_stat_statements is not loaded by this PostgreSQL: the statements table is left out')

    const fanouts = await fanoutGrowth({ api, postgresUrl: postgresUrl('starling_timeline'), redisUrl: redisUrl(), counts: [cfg.celebrityThreshold - 1, 1000, 5000], tweets: 3, log })
    await quiet('the fanout runs')
    growth.push({
      title: 'Fanout against follower count: one tweet, until the last follower\'s home timeline has it',
      columns: ['followers', 'median', 'slowest of 3', 'deliveries/s'],
      rows: fanouts.map((r) => [String(r.followers), ms(r.medianMs), ms(r.maxMs), r.perSecond.toFixed(0)]),
      plot: { unit: 'deliveries/s', x: fanouts.map((r) => `${r.followers}`), series: [{ name: 'deliveries/s', values: fanouts.map((r) => r.perSecond) }] },
      note: `From the POST to the last follower's sorted set holding the entry (polled every 5 ms), so it includes the relay and Kafka. ${cfg.celebrityThreshold - 1} is just below the bench's threshold; the 1,000 and 5,000 followers are rows written straight into the timeline projection (every one active), as registering that many accounts would take this machine minutes.`,
    })

    const web = await measureWebClient(gateway)
    log(`web client: first load ${web.firstLoadMs} ms, ${(web.bytes / 1024).toFixed(1)} KiB`)
    growth.push(web)

    const bytes = await redisBytes(redisUrl(), [...world.ordinaryReaders, ...world.celebrityReaders])
    growth.push({
      title: 'Redis memory (MEMORY USAGE)',
      columns: ['what', 'bytes'],
      rows: [['per home-timeline entry', bytes.perEntry.toFixed(0)], ['per cached tweet', bytes.perTweet.toFixed(0)], ['per cached name', bytes.perUser.toFixed(0)]],
      plot: { unit: 'bytes', x: ['timeline entry', 'cached tweet', 'cached name'], series: [{ name: 'bytes', values: [bytes.perEntry, bytes.perTweet, bytes.perUser] }] },
      note: `Over ${bytes.entries} entries in the readers' home timelines, and samples of up to 500 cached tweets and names.`,
    })
    log(`Redis: ${bytes.perEntry.toFixed(0)} bytes per timeline entry, ${bytes.perTweet.toFixed(0)} per cached tweet`)

    // WebSockets: an open file each, in this process and in the notification process (and two in
    // nginx). This machine caps every process at its open-file limit (hard, not raisable here), so
    // one process holds at most that many, less a margin for its other files.
    const notificationPid = runningPid('service-notification')
    const openFiles = Math.min(openFileLimit(process.pid), notificationPid ? openFileLimit(notificationPid) : Infinity)
    const directCount = Math.min(cfg.directSockets, openFiles - 1000)
    if (directCount < cfg.directSockets) warn(`${cfg.directSockets} sockets asked for, ${directCount} opened: the open-file limit here is ${openFiles} per process (ulimit -Hn), and raising it is not permitted`)
    const accounts = [...world.ordinaryReaders, ...world.celebrityReaders, ...world.ordinaryAuthors]
    const rssBefore = notificationPid ? treeRss(notificationPid) : NaN
    const direct = await openSockets(`ws://127.0.0.1:${services.find((x) => x.name === 'notification')!.port}/ws`, accounts, directCount)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const rssHeld = notificationPid ? treeRss(notificationPid) : NaN
    log(`${direct.ready} of ${directCount} sockets held by one notification process (${direct.failed} failed${direct.reasons.length ? `: ${direct.reasons.join('; ')}` : ''}), ${((rssHeld - rssBefore) / Math.max(1, direct.ready) / 1024).toFixed(1)} KiB RSS each`)
    await closeSockets(direct)
    const viaGateway = await openSockets(`${gateway.replace(/^http/, 'ws')}/ws`, accounts, cfg.gatewaySockets)
    const delivery = await likeDelivery(api, viaGateway, world.ordinaryAuthors, world.celebrityReaders, 50)
    log(`${viaGateway.ready} of ${cfg.gatewaySockets} sockets through the gateway (${viaGateway.failed} failed${viaGateway.reasons.length ? `: ${viaGateway.reasons.join('; ')}` : ''}); like → socket p50 ${ms(delivery.p50)}, p99 ${ms(delivery.p99)} over ${delivery.probes} likes`)
    await closeSockets(viaGateway)
    growth.push({
      title: 'WebSockets: idle authenticated sockets, and like → socket delivery with many open',
      columns: ['measure', 'value'],
      rows: [
        ['sockets held by one notification process (straight, no gateway)', `${direct.ready} of ${directCount} (open-file limit ${openFiles})`],
        ['RSS per socket (notification process)', `${((rssHeld - rssBefore) / Math.max(1, direct.ready) / 1024).toFixed(1)} KiB`],
        ['sockets open through the gateway', `${viaGateway.ready} of ${cfg.gatewaySockets}`],
        [`like → socket with those open: p50 / p99 (${delivery.probes} likes, ${delivery.missed} missed)`, `${ms(delivery.p50)} / ${ms(delivery.p99)}`],
      ],
      plot: { unit: 'sockets', x: ['one process', 'through the gateway'], series: [{ name: 'sockets', values: [direct.ready, viaGateway.ready] }] },
      note: `Sockets round robin over ${accounts.length} accounts; each sent its auth and got ready. RSS is the notification API process's VmRSS after the sockets were open, less before.`,
    })
    const socketRows = { direct: direct.ready, perSocketKiB: (rssHeld - rssBefore) / Math.max(1, direct.ready) / 1024, gateway: viaGateway.ready, likeP99: delivery.p99 }

    const memory: MemoryRow[] = stackProcesses(stack.run, runningPid).map((p) => ({ component: p.name, rssBytes: treeRss(p.pid) }))
    const baselineMemory = [{ component: 'minimal Fastify app', rssBytes: treeRss(baseline.pids.app) }, { component: 'nginx', rssBytes: treeRss(baseline.pids.nginx) }]
    if (servicePids().join(',') !== pidsAtStart) warn('some services were restarted during the run (by someone else?): the figures after that are not comparable; run the bench again')

    const floor = baseRead.p99
    const floorText = `${ms(floor)} (one nginx+Fastify round trip, p99)`
    const readRatio = ratio(ordinaryRead.rps, baseRead.rps)
    const mixRatio = ratio(celebrityRead.rps, ordinaryRead.rps)
    const writeRatio = ratio(ordinaryWrite.rps, baseWrite.rps)
    const rows: Row[] = [
      {
        figure: `Home timeline reads, ordinary follows: throughput (${cfg.readVus} VUs)`, value: perSecond(ordinaryRead.rps), baseline: perSecond(baseRead.rps),
        label: 'reads/s ≥ 0.40× baseline (ordinary follows)', ratio: readRatio, target: '≥ 0.40× baseline', met: (readRatio ?? 0) >= 0.4, budgetUsed: 0.4 / (readRatio || 1e-9),
      },
      {
        figure: `Home timeline reads, with high-follower follows: throughput (${cfg.readVus} VUs)`, value: perSecond(celebrityRead.rps), baseline: `${perSecond(ordinaryRead.rps)} (ordinary follows)`,
        label: 'reads/s with high-follower follows ≥ 0.90× ordinary', ratio: mixRatio, target: '≥ 0.90× ordinary reads', met: (mixRatio ?? 0) >= 0.9, budgetUsed: 0.9 / (mixRatio || 1e-9),
      },
      ...([['ordinary follows', ordinaryRead], ['with high-follower follows', celebrityRead]] as const).map(([label, r]) => ({
        figure: `Home timeline reads, ${label}: p50 / p99 at 70% of saturation (${r.rate} req/s)`,
        value: `${ms(r.p50)} / ${ms(r.p99)}`, baseline: `${ms(baseRead.p50)} / ${ms(baseRead.p99)} at ${baseRead.rate} req/s`,
        label: `read p99 ≤ 15 ms at 70% (${label})`, ratio: ratio(r.p99, baseRead.p99), target: 'p99 ≤ 15 ms', met: (r.p99 ?? Infinity) <= 15, budgetUsed: (r.p99 ?? Infinity) / 15,
      })),
      {
        figure: `Tweet writes, ordinary authors: throughput / p99 (${cfg.writeVus} writers)`, value: `${perSecond(ordinaryWrite.rps)} / ${ms(ordinaryWrite.p99)}`,
        baseline: `${perSecond(baseWrite.rps)} / ${ms(baseWrite.p99)}`, label: 'tweet writes ≥ 0.10× baseline (8 writers)', ratio: writeRatio, target: '≥ 0.10× baseline',
        met: (writeRatio ?? 0) >= 0.1, budgetUsed: 0.1 / (writeRatio || 1e-9),
      },
      {
        figure: `Tweet writes, high-follower authors: p99 (${cfg.writeVus} writers)`, value: `${ms(celebrityWrite.p99)} (${perSecond(celebrityWrite.rps)})`,
        baseline: `${ms(ordinaryWrite.p99)} (ordinary authors)`, label: 'high-follower write p99 ≤ 1.1× ordinary', ratio: ratio(celebrityWrite.p99, ordinaryWrite.p99), target: '≤ 1.10× ordinary',
        met: (ratio(celebrityWrite.p99, ordinaryWrite.p99) ?? Infinity) <= 1.1, budgetUsed: (ratio(celebrityWrite.p99, ordinaryWrite.p99) ?? Infinity) / 1.1,
      },
      {
        figure: `Fanout lag p50 / p99 at ${cfg.writeRate} tweets/s (${lag.count} tweets)`, value: `${ms(fanoutP50)} / ${ms(fanoutP99)}`, baseline: floorText, label: `fanout lag p99 ≤ 100 ms at ${cfg.writeRate}/s`,
        ratio: ratio(fanoutP99, floor), target: 'p99 ≤ 100 ms', met: fanoutP99 <= 100, budgetUsed: fanoutP99 / 100,
      },
      {
        figure: `Fanout lag p99 at ${cfg.fastWriteRate} tweets/s (${fastLag.count} tweets)`, value: ms(fastFanoutP99), baseline: floorText, label: `fanout lag p99 ≤ 500 ms at ${cfg.fastWriteRate}/s`,
        ratio: ratio(fastFanoutP99, floor), target: 'p99 ≤ 500 ms', met: fastFanoutP99 <= 500, budgetUsed: fastFanoutP99 / 500,
      },
      {
        figure: `Tweet visible in a follower's first page (client-measured) at ${cfg.writeRate} tweets/s: p99`, value: ms(visibleOrdinary), baseline: floorText, label: 'visible in a follower\'s first page p99 ≤ 60 ms',
        ratio: ratio(visibleOrdinary, floor), target: '≤ 60 ms', met: (visibleOrdinary ?? Infinity) <= 60, budgetUsed: (visibleOrdinary ?? Infinity) / 60,
      },
      {
        figure: 'High-follower tweet visible in a follower\'s first page: p99', value: ms(visibleCelebrity), baseline: `${ms(visibleOrdinary)} (ordinary author)`, label: 'high-follower tweet visible p99 ≤ 1 s',
        ratio: ratio(visibleCelebrity, visibleOrdinary), target: '≤ 1000 ms', met: (visibleCelebrity ?? Infinity) <= 1000, budgetUsed: (visibleCelebrity ?? Infinity) / 1000,
      },
      {
        figure: 'Search freshness (created → found): p99', value: ms(searchP99), baseline: floorText, label: 'search freshness p99 ≤ 1 s',
        ratio: ratio(searchP99, floor), target: '≤ 1000 ms', met: (searchP99 ?? Infinity) <= 1000, budgetUsed: (searchP99 ?? Infinity) / 1000,
      },
      {
        figure: 'Notification delivery (like → WebSocket): p99', value: ms(notifyP99), baseline: floorText, label: 'notification p99 ≤ 40 ms',
        ratio: ratio(notifyP99, floor), target: '≤ 40 ms', met: (notifyP99 ?? Infinity) <= 40, budgetUsed: (notifyP99 ?? Infinity) / 40,
      },
    ]
    notes.push(
      'Load: k6 (built by goTool from the Go module proxy) on the same machine, for the baseline and for Starling alike; it takes CPU from both.',
      `Baseline: a second nginx rendered from nginx/nginx.conf.template (same limits, headers, access log) in front of a minimal Fastify app returning constant JSON; same k6 script, VUs and duration (${cfg.phaseSeconds} s per phase).`,
      `Throughput: ${cfg.readVus} (reads) or ${cfg.writeVus} (writes) VUs sending back to back. Latency: an open model (constant arrival rate) at 70% of the throughput each target reached.`,
      `World: ${world.ordinaryAuthors.length} ordinary authors, ${world.celebrities.length} high-follower authors (above TIMELINE_CELEBRITY_THRESHOLD=${cfg.celebrityThreshold}), ${world.ordinaryReaders.length} readers of ordinary authors only, ${world.celebrityReaders.length} readers who also follow the high-follower authors; readers read once first (active readers).`,
      `Fanout lag: the timeline service's timeline_fanout_lag_seconds histogram (tweet created_at → entry in every follower's timeline), the difference between scrapes before and after ${cfg.pipelineSeconds} s of ${cfg.writeRate} ordinary tweets/s, quantiles interpolated within buckets (10, 25, 50, 100, 250, 500 ms...).`,
      'Visibility, search freshness and notification delivery: measured by k6 clients during that run, from the request that creates the tweet (or the like) to the follower\'s timeline containing it (polled every 20 ms), search finding it (every 50 ms) or the WebSocket message.',
      `Search freshness is the indexing lag (search_index_lag_seconds, tweet created_at → document written: p99 ${ms(indexLagP99)} in this run) plus the wait for the index's next refresh (SEARCH_REFRESH_MS, 250 ms) plus the polling.`,
      `The ${cfg.fastWriteRate} tweets/s run is the same pipeline script for ${cfg.fastPipelineSeconds} s; only its fanout lag is reported.`,
      'Memory: VmRSS from /proc/<pid>/status of each process in .stack/run and its children, summed (PostgreSQL\'s shared buffers count once per backend).',
    )
    const singleFile = path.join(resultsDir, 'latest.json')
    const single = stack.topology === 'cluster' && fs.existsSync(singleFile) ? JSON.parse(fs.readFileSync(singleFile, 'utf8')) as BenchReport : undefined
    const report: BenchReport = {
      startedAt: startedAt.toISOString(),
      topology: stack.topology,
      ...(single ? { single: { startedAt: single.startedAt, rows: single.rows } } : {}),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', loadAverageAtStart, loadAverageAtEnd: os.loadavg() },
      settings: { ...cfg, writerCounts: cfg.writerCounts.join(' / ') },
      stackChanges: Object.entries(changes).map(([k, v]) => `${k}=${v}`),
      rows,
      growth,
      throughput: [
        { label: 'timeline reads', baseline: baseRead.rps, ordinary: ordinaryRead.rps, celebrity: celebrityRead.rps },
        { label: 'tweet writes', baseline: baseWrite.rps ?? 0, ordinary: ordinaryWrite.rps ?? 0, celebrity: celebrityWrite.rps ?? 0 },
      ],
      memory,
      baselineMemory,
      notes,
      raw: {
        baselineReadRps: baseRead.rps, baselineReadP50: baseRead.p50, baselineReadP99: baseRead.p99,
        ordinaryReadRps: ordinaryRead.rps, ordinaryReadP50: ordinaryRead.p50, ordinaryReadP99: ordinaryRead.p99,
        celebrityReadRps: celebrityRead.rps, celebrityReadP50: celebrityRead.p50, celebrityReadP99: celebrityRead.p99,
        baselineWriteRps: baseWrite.rps, baselineWriteP99: baseWrite.p99, ordinaryWriteRps: ordinaryWrite.rps, ordinaryWriteP99: ordinaryWrite.p99,
        celebrityWriteRps: celebrityWrite.rps, celebrityWriteP99: celebrityWrite.p99, fanoutLagP50: fanoutP50, fanoutLagP99: fanoutP99, fanoutTweets: lag.count,
        fastFanoutLagP99: fastFanoutP99, fastFanoutTweets: fastLag.count,
        socketsHeld: socketRows.direct, socketRssKiB: socketRows.perSocketKiB, gatewaySockets: socketRows.gateway, likeDeliveryWithSocketsP99: socketRows.likeP99,
        visibleOrdinaryP99: visibleOrdinary, visibleCelebrityP99: visibleCelebrity, searchFreshnessP99: searchP99, searchIndexLagP99: indexLagP99, notificationDeliveryP99: notifyP99,
      },
    }
    const files = saveReport(report, resultsDir)
    process.stdout.write(`\n${textTable(rows)}\n\n${growthText(growth)}\n\nMemory (RSS): ${memory.map((m) => `${m.component} ${(m.rssBytes / 2 ** 20).toFixed(0)} MiB`).join(', ')}\n`)
    process.stdout.write(`Baseline memory: ${baselineMemory.map((m) => `${m.component} ${(m.rssBytes / 2 ** 20).toFixed(0)} MiB`).join(', ')}\n`)
    process.stdout.write(`Load average ${loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} → ${os.loadavg().map((l) => l.toFixed(1)).join('/')} (anything else running lowers every figure)\n`)
    process.stdout.write(`Saved ${files.map((f) => path.relative(stack.root, f)).join(', ')}\n`)
  } finally {
    baseline.stop()
    fs.rmSync(work, { recursive: true, force: true })
    if (wasRunning) {
      log(`the services and nginx keep the bench's settings (${Object.entries(changes).map(([k, v]) => `${k}=${v}`).join(' ')}); `
        + '`npm run stack -- restart-services` brings back the defaults')
    } else {
      log('stopping the stack the bench started')
      await down()
      await handle.release()
    }
  }
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 1
})
