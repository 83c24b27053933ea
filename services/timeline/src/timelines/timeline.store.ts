import type { Result } from 'ioredis'
import { getMany, masters, type RedisClient } from '@starling/shared/db'
import { actorOf, before, decodeEntry, encodeEntry, type Entry } from './entry.ts'

// A reader's keys share the hash tag of their id, so on a Redis Cluster each script that touches
// two of them (FANOUT_ADD, GRAPH_FILL, TOUCH) runs on the one node holding both.
const home = (userId: string) => `tl:home:{${userId}}`
const author = (userId: string) => `tl:author:{${userId}}`
const authorBuilt = (userId: string) => `tl:author:{${userId}}:built`
const active = (userId: string) => `tl:active:{${userId}}`
const graph = (userId: string) => `tl:graph:{${userId}}`
const graphVersion = (userId: string) => `tl:graph:{${userId}}:version`
// The three counters every process keeps a copy of (see `counters` below); one hash tag, so
// RESTARTED moves them together. No read or write of a timeline touches them.
// Moves whenever an author crosses the high-follower threshold: every cached graph is then stale.
const CELEBRITY_EPOCH = 'tl:{counters}:celebrity-epoch'
// Moves when Redis restarted or a replica took a master's place (either may lack the last writes):
// every home timeline and author set is then rebuilt on its next read, every cached graph reloaded.
const GENERATION = 'tl:{counters}:generation'
// The run ids of the Redis masters the data was last known whole in.
const REDIS_RUN = 'tl:{counters}:redis-run'
/** The names of the keys, for tests and the benchmark that look into Redis. */
export const timelineKeys = { home, author, active, redisRun: REDIS_RUN, generation: GENERATION }
const GRAPH_SECONDS = 600
const VERSION_SECONDS = 86_400
/** How often a process reads the counters again; the worst a copy can lag another process's move. */
const COUNTERS_MS = 250

// Adds to a home timeline only if its reader is active, then trims it: one round trip per
// follower inside a pipeline, instead of an EXISTS and a ZADD apiece.
const FANOUT_ADD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
return 1`

// Caches a reader's graph only if it did not move since the caller read it, before loading the
// graph from Postgres: a change committed meanwhile is never hidden. The graph carries the epoch it
// was loaded in, and a lookup in another epoch ignores it.
const GRAPH_FILL = `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`

// Marks a read in the generation given and says whether the reader's home timeline can be trusted
// (they were active, in this generation). (SET ... GET: the previous value, in the same step.)
const TOUCH = `
local previous = redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'GET')
return previous == ARGV[1] and 1 or 0`

// A Redis that restarted, or a replica promoted, has another run id: the first process to see the
// masters' run ids change moves the generation.
const RESTARTED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('INCR', KEYS[3])
return 1`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fanoutAdd(activeKey: string, homeKey: string, member: string, max: number): Result<number, Context>
    graphFill(graphKey: string, versionKey: string, version: string, value: string, seconds: number): Result<number, Context>
    touchReader(activeKey: string, generation: string, seconds: number): Result<number, Context>
    redisRestarted(runKey: string, generationKey: string, epochKey: string, runId: string): Result<number, Context>
  }
}

/** What a timeline read needs from the graph (see ProjectionRepository.readerGraph). */
export interface ReaderGraph {
  followees: { id: string; followers: number }[]
  hidden: Set<string>
}

/** A cached graph if there is a current one, and the versions a fill must see unchanged. */
export interface GraphLookup {
  cached: ReaderGraph | undefined
  version: string
  epoch: string
}

export interface StoreOptions {
  /** Entries kept per home timeline, and per author: a high-follower author merged at read time reaches as far back as a pushed one. */
  maxEntries: number
  activeSeconds: number
  batch: number
}

/** The Redis side of timelines: home sets, per-author recent sets and reader activity. */
const scripted = new WeakSet<RedisClient>()

export function createTimelineStore(redis: RedisClient, options: StoreOptions) {
  if (!scripted.has(redis)) {
    redis.defineCommand('fanoutAdd', { numberOfKeys: 2, lua: FANOUT_ADD })
    redis.defineCommand('graphFill', { numberOfKeys: 2, lua: GRAPH_FILL })
    redis.defineCommand('touchReader', { numberOfKeys: 1, lua: TOUCH })
    redis.defineCommand('redisRestarted', { numberOfKeys: 3, lua: RESTARTED })
    scripted.add(redis)
  }

  // This process's copy of the generation and the epoch: a read or a fanout uses it instead of
  // asking Redis, so no operation touches one key that every other operation touches too (on a
  // cluster, one node would serve them all). The copy is read again every COUNTERS_MS and moves at
  // once when this process moves a counter; another process's move reaches it within COUNTERS_MS.
  const counters = { generation: '0', epoch: '' }
  async function readCounters() {
    const [generation, epoch] = await getMany(redis, [GENERATION, CELEBRITY_EPOCH])
    counters.generation = generation ?? '0'
    counters.epoch = epoch ?? ''
  }
  let watching: NodeJS.Timeout | undefined

  /** Runs `command` for each of `userIds`, `options.batch` at a time (each batch auto-pipelined, a write per node). */
  async function inBatches<T>(userIds: string[], command: (userId: string) => Promise<T>) {
    let results: T[] = []
    for (let i = 0; i < userIds.length; i += options.batch) {
      results = results.concat(await Promise.all(userIds.slice(i, i + options.batch).map(command)))
    }
    return results
  }

  async function readRange(key: string, cursor: string | undefined, count: number) {
    return redis.zrange(key, before(cursor), '-', 'BYLEX', 'REV', 'LIMIT', 0, count)
  }

  return {
    /** Writes the entry into the home timelines of the active ones among `userIds`; returns how many. */
    async fanout(entry: Entry, userIds: string[]): Promise<number> {
      const member = encodeEntry(entry)
      const written = await inBatches(userIds, (userId) => redis.fanoutAdd(active(userId), home(userId), member, options.maxEntries))
      return written.reduce<number>((sum, n) => sum + Number(n), 0)
    },

    async removeEverywhere(entry: Entry, userIds: string[]) {
      const member = encodeEntry(entry)
      await inBatches(userIds, (userId) => redis.zrem(home(userId), member))
    },

    /** Drops every entry `actorId` put into `userId`'s home timeline (after an unfollow, block or mute). */
    async removeActor(userId: string, actorId: string) {
      const members = await redis.zrange(home(userId), '0', '-1')
      const gone = members.filter((m) => actorOf(decodeEntry(m)) === actorId)
      if (gone.length > 0) await redis.zrem(home(userId), ...gone)
    },

    async addToHome(userId: string, entries: Entry[]) {
      if (entries.length === 0) return
      await redis.multi()
        .zadd(home(userId), ...entries.flatMap((e) => ['0', encodeEntry(e)]))
        .zremrangebyrank(home(userId), 0, -(options.maxEntries + 1))
        .exec()
    },

    async addToAuthor(authorId: string, entry: Entry) {
      await redis.multi()
        .zadd(author(authorId), '0', encodeEntry(entry))
        .zremrangebyrank(author(authorId), 0, -(options.maxEntries + 1))
        .exec()
    },

    removeFromAuthor: (authorId: string, entry: Entry) => redis.zrem(author(authorId), encodeEntry(entry)),

    readHome: (userId: string, cursor: string | undefined, count: number) => readRange(home(userId), cursor, count),

    /**
     * Reads an author's recent set, first filling it from `load` unless it was filled in this
     * generation (first use, after a flush, after a restart that may have lost writes); the check
     * travels with the read, so a filled set costs one round trip. Entries added meanwhile stay.
     */
    async readAuthor(authorId: string, read: { generation: string; after: string | undefined; count: number }, load: () => Promise<Entry[]>) {
      const [built, members] = await Promise.all([redis.get(authorBuilt(authorId)), readRange(author(authorId), read.after, read.count)])
      if (built === read.generation) return members
      const entries = await load()
      const multi = redis.multi()
      if (entries.length > 0) multi.zadd(author(authorId), ...entries.flatMap((e) => ['0', encodeEntry(e)]))
      await multi.zremrangebyrank(author(authorId), 0, -(options.maxEntries + 1)).set(authorBuilt(authorId), read.generation).exec()
      return readRange(author(authorId), read.after, read.count)
    },

    isActive: async (userId: string) => (await redis.exists(active(userId))) === 1,

    /**
     * Marks a read; returns whether the reader's home timeline holds what it should (they were
     * active, in this generation: if not, the caller rebuilds it), and the generation.
     */
    async touch(userId: string): Promise<{ trusted: boolean; generation: string }> {
      const { generation } = counters
      return { trusted: (await redis.touchReader(active(userId), generation, options.activeSeconds)) === 1, generation }
    },

    /** The generation the worker writes cached tweets, names and reader state in. */
    generation: async () => counters.generation,

    /** Reads the counters now and then every COUNTERS_MS, until `stop`. */
    async watch() {
      await readCounters().catch(() => {})
      watching ??= setInterval(() => void readCounters().catch(() => {}), COUNTERS_MS).unref()
    },
    stop() {
      clearInterval(watching)
      watching = undefined
    },

    /**
     * To be called whenever the connection to Redis is (re)established or a cluster's nodes change:
     * if a master restarted or was replaced since the data was last known whole, moves the
     * generation; true when it did.
     */
    async noticeRestart(): Promise<boolean> {
      const runIds = await Promise.all(masters(redis).map(async (node) => /run_id:(\w+)/.exec(await node.info('server'))?.[1]))
      if (runIds.length === 0 || runIds.includes(undefined)) return false
      const restarted = (await redis.redisRestarted(REDIS_RUN, GENERATION, CELEBRITY_EPOCH, runIds.sort().join(','))) === 1
      await readCounters()
      return restarted
    },

    async lookupGraph(userId: string): Promise<GraphLookup> {
      const { epoch } = counters
      const [value, version] = await redis.mget(graph(userId), graphVersion(userId))
      const entry = value ? (JSON.parse(value) as { epoch: string; followees: ReaderGraph['followees']; hidden: string[] }) : undefined
      const cached = entry && entry.epoch === epoch ? { followees: entry.followees, hidden: new Set(entry.hidden) } : undefined
      return { cached, version: version ?? '', epoch }
    },

    /** Caches `value` unless the reader's graph or the epoch moved since `lookup`; true when cached. */
    async fillGraph(userId: string, lookup: GraphLookup, value: ReaderGraph) {
      if (lookup.epoch !== counters.epoch) return false
      const entry = JSON.stringify({ epoch: lookup.epoch, followees: value.followees, hidden: [...value.hidden] })
      return (await redis.graphFill(graph(userId), graphVersion(userId), lookup.version, entry, GRAPH_SECONDS)) === 1
    },

    /** After a follow, block or mute touching these readers is in the projection. */
    async graphsChanged(userIds: string[]) {
      await Promise.all(userIds.map((userId) => redis.multi().incr(graphVersion(userId)).expire(graphVersion(userId), VERSION_SECONDS).del(graph(userId)).exec()))
    },

    async celebritiesChanged() {
      counters.epoch = String(await redis.incr(CELEBRITY_EPOCH))
    },

    /** Empties a home timeline before a rebuild; only for readers that were inactive. */
    resetHome: (userId: string) => redis.del(home(userId)),
  }
}
export type TimelineStore = ReturnType<typeof createTimelineStore>
