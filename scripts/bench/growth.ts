// The benchmark's growth tables (npm run bench): how a cost grows with the work — read latency
// against high-follower follows and page depth, fanout against follower count, write throughput
// against concurrent writers, and Redis bytes per timeline entry and per cached tweet.
import { setTimeout as sleep } from 'node:timers/promises'
import { connectRedis, masters } from '@starling/shared/db'
import { timelineKeys } from '../../services/timeline/src/timelines/timeline.store.ts'
import pg from 'pg'
import { ApiError, mapLimit, runId, type Client } from './client.ts'
import type { BenchAccount, World } from './world.ts'

export interface GrowthTable {
  title: string
  columns: string[]
  rows: string[][]
  /** What the plot draws: one bar per x for each series. */
  plot: { unit: string; x: string[]; series: { name: string; values: number[] }[] }
  note?: string
}

export const PULLED_COUNTS = [0, 1, 5, 20] as const
export const PAGE_DEPTHS = [1, 10, 40] as const
const PAGE_SIZE = 20
const GROUP = 10

/** The world's groups for the growth reads, added to the world file the k6 scripts read. */
export interface GrowthWorld {
  [group: `pulled${number}` | `depth${number}`]: (BenchAccount & { cursor?: string })[]
}

const signUp = async (api: Client, name: string, password: string) => ({ ...(await api.signUp(name, password)), tokenAt: Date.now() })
const followOnce = async (api: Client, who: BenchAccount, whom: string) => {
  try {
    await api.follow(who, whom)
  } catch (error) {
    // Already following (the world's round robin may have made the same pair): fine.
    if (!(error instanceof ApiError) || error.status !== 409) throw error
  }
}

/**
 * Readers following 0, 1, 5 or 20 high-follower authors (and 10 ordinary ones, as every reader),
 * and readers following every ordinary author, whose home timelines are full (800 entries), with
 * the cursors of their pages 10 and 40.
 */
export async function buildGrowthWorld(api: Client, world: World, log: (line: string) => void): Promise<GrowthWorld> {
  const run = runId()
  const stars = await mapLimit(Array.from({ length: 20 }, (_, i) => `g${run}_star${i}`), 6, (name) => signUp(api, name, `growth-${run}-password`))
  // Enough followers for each to be above the threshold (the celebrity readers have no other use here).
  const fans = world.celebrityReaders
  const groups = PULLED_COUNTS.map((n, g) => ({ n, readers: world.ordinaryReaders.slice(g * GROUP, (g + 1) * GROUP) }))
  const depthReaders = world.ordinaryReaders.slice(PULLED_COUNTS.length * GROUP, PULLED_COUNTS.length * GROUP + GROUP)
  const follows: [BenchAccount, string][] = [
    ...fans.flatMap((fan) => stars.map((star) => [fan, star.id] as [BenchAccount, string])),
    ...groups.flatMap(({ n, readers }) => readers.flatMap((reader) => stars.slice(0, n).map((star) => [reader, star.id] as [BenchAccount, string]))),
    ...depthReaders.flatMap((reader) => world.ordinaryAuthors.map((author) => [reader, author.id] as [BenchAccount, string])),
  ]
  await mapLimit(follows, 16, ([who, whom]) => followOnce(api, who, whom))
  await mapLimit(stars.flatMap((star) => Array<BenchAccount>(10).fill(star)), 16, (star) => api.post(star, `growth from ${star.username}`))
  log(`growth world: 20 more high-follower authors (${fans.length + GROUP} followers or more each), ${follows.length} follows`)
  return {
    ...Object.fromEntries(groups.map(({ n, readers }) => [`pulled${n}`, readers])),
    depth1: depthReaders,
  }
}

/** The cursor each depth reader needs for its pages 10 and 40 (one walk of 39 pages each). */
export async function pageCursors(api: Client, readers: BenchAccount[]) {
  const cursors = await mapLimit(readers, 4, async (reader) => {
    const at = new Map<number, string>()
    let cursor: string | null = null
    for (let page = 1; page < Math.max(...PAGE_DEPTHS); page++) {
      const body: { next_cursor: string | null } = await api.call('GET', `/timelines/${reader.id}?limit=${PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ''}`, { token: reader.token })
      cursor = body.next_cursor
      if (!cursor) break
      at.set(page + 1, cursor)
    }
    return at
  })
  return Object.fromEntries(PAGE_DEPTHS.filter((d) => d > 1).map((depth) => {
    const group = readers.flatMap((reader, i) => {
      const cursor = cursors[i]!.get(depth)
      return cursor ? [{ ...reader, cursor }] : []
    })
    return [`depth${depth}`, group]
  }))
}

/**
 * Fanout against follower count: an author with `n` followers inserted straight into the timeline
 * service's projection (their follower count left below the threshold, so the author is pushed),
 * every follower active; then tweets through the gateway, each timed until the last follower's
 * home set holds it. The harness writes the rows because thousands of real accounts would take
 * this machine minutes to register; the fanout reads the same tables either way.
 */
export async function fanoutGrowth(options: { api: Client; postgresUrl: string; redisUrl: string; counts: number[]; tweets: number; log: (line: string) => void }) {
  const { api, counts, log } = options
  const db = new pg.Client({ connectionString: options.postgresUrl })
  await db.connect()
  const redis = connectRedis(options.redisUrl)
  const run = runId()
  const author = await signUp(api, `f${run}_author`, `fanout-${run}-password`)
  const results: { followers: number; medianMs: number; maxMs: number; perSecond: number }[] = []
  try {
    const generation = (await redis.get(timelineKeys.generation)) ?? '0'
    let base = 8_000_000_000_000_000_000n + BigInt(Date.now()) * 10_000n
    for (const n of counts) {
      const followers = Array.from({ length: n }, (_, i) => String(base + BigInt(i)))
      base += BigInt(n)
      await db.query('INSERT INTO follows (follower_id, followee_id) SELECT unnest($1::bigint[]), $2', [followers, author.id])
      await Promise.all(followers.map((id) => redis.set(timelineKeys.active(id), generation, 'EX', 3600)))
      const took: number[] = []
      for (let t = 0; t < options.tweets; t++) {
        const started = performance.now()
        const tweet = await api.post(author, `fanout to ${n}`)
        const member = `${tweet.id.padStart(20, '0')}:${tweet.id}:${author.id}:`
        for (let pending = followers; pending.length > 0;) {
          const scores = await Promise.all(pending.map((id) => redis.zscore(timelineKeys.home(id), member)))
          pending = pending.filter((_, i) => scores[i] === null)
          if (pending.length > 0) await sleep(5)
          if (performance.now() - started > 60_000) throw new Error(`fanout to ${n} followers did not finish in 60 s (${pending.length} missing)`)
        }
        took.push(performance.now() - started)
      }
      took.sort((a, b) => a - b)
      const median = took[Math.floor(took.length / 2)]!
      results.push({ followers: n, medianMs: median, maxMs: took.at(-1)!, perSecond: n / (median / 1000) })
      log(`fanout to ${n} followers: median ${median.toFixed(0)} ms until the last has it (${(n / (median / 1000)).toFixed(0)} deliveries/s)`)
      await db.query('DELETE FROM follows WHERE followee_id = $1', [author.id])
      await Promise.all(followers.map((id) => redis.del(timelineKeys.active(id), timelineKeys.home(id))))
    }
  } finally {
    await db.end()
    redis.disconnect()
  }
  return results
}

/** Redis bytes per home-timeline entry (MEMORY USAGE over the readers' sets) and per cached tweet and name. */
export async function redisBytes(redisUrl: string, readers: BenchAccount[]) {
  const redis = connectRedis(redisUrl)
  try {
    const sizes = await Promise.all(readers.map(async (r) => [Number(await redis.memory('USAGE', timelineKeys.home(r.id), 'SAMPLES', '0') ?? 0), await redis.zcard(timelineKeys.home(r.id))] as const))
    const [bytes, entries] = sizes.reduce(([b, e], [sb, se]) => [b + sb, e + se], [0, 0])
    // Sampled on one server (a cluster's first master): SCAN walks one node's keys.
    const node = masters(redis)[0]!
    const sample = async (pattern: string) => {
      const keys: string[] = []
      let cursor = '0'
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
        cursor = next
        keys.push(...found)
      } while (cursor !== '0' && keys.length < 500)
      const used = await Promise.all(keys.slice(0, 500).map(async (key) => Number(await node.memory('USAGE', key, 'SAMPLES', '0') ?? 0)))
      return used.length > 0 ? used.reduce((a, b) => a + b, 0) / used.length : NaN
    }
    return { perEntry: bytes / Math.max(1, entries), entries, perTweet: await sample('tl:*:tweet:*'), perUser: await sample('tl:*:user:*') }
  } finally {
    redis.disconnect()
  }
}
