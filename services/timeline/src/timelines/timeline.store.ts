import type { Redis, Result } from 'ioredis'
import { actorOf, before, decodeEntry, encodeEntry, type Entry } from './entry.ts'

const home = (userId: string) => `tl:home:${userId}`
const author = (userId: string) => `tl:author:${userId}`
const authorBuilt = (userId: string) => `tl:author:${userId}:built`
const active = (userId: string) => `tl:active:${userId}`
const graph = (userId: string) => `tl:graph:${userId}`
const graphVersion = (userId: string) => `tl:graph:${userId}:version`
// Moves whenever an author crosses the high-follower threshold: every cached graph is then stale.
const CELEBRITY_EPOCH = 'tl:celebrity-epoch'
// Moves when Redis restarted (it may have come back without its last second of writes): every
// home timeline and author set is then rebuilt on its next read, every cached graph reloaded.
const GENERATION = 'tl:generation'
// The run of Redis the data was last known whole in.
const REDIS_RUN = 'tl:redis-run'
const GRAPH_SECONDS = 600
const VERSION_SECONDS = 86_400

// Adds to a home timeline only if its reader is active, then trims it: one round trip per
// follower inside a pipeline, instead of an EXISTS and a ZADD apiece.
const FANOUT_ADD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
return 1`

// Caches a reader's graph only if neither it nor the threshold epoch moved since the caller read
// them, before loading the graph from Postgres: a change committed meanwhile is never hidden.
const GRAPH_FILL = `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] or (redis.call('GET', KEYS[3]) or '') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
return 1`

// Marks a read and says whether the reader's home timeline can be trusted (it was active, in this
// generation), and which generation the read's cached tweets are in. (SET ... GET: the previous
// value, in the same step.)
const TOUCH = `
local generation = redis.call('GET', KEYS[2]) or '0'
local previous = redis.call('SET', KEYS[1], generation, 'EX', ARGV[1], 'GET')
return {previous == generation and 1 or 0, generation}`

// A Redis that restarted has another run id: the first process to see it moves the generation.
const RESTARTED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('INCR', KEYS[3])
return 1`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fanoutAdd(activeKey: string, homeKey: string, member: string, max: number): Result<number, Context>
    graphFill(graphKey: string, versionKey: string, epochKey: string, version: string, epoch: string, value: string, seconds: number): Result<number, Context>
    touchReader(activeKey: string, generationKey: string, seconds: number): Result<[number, string], Context>
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
const scripted = new WeakSet<Redis>()

export function createTimelineStore(redis: Redis, options: StoreOptions) {
  if (!scripted.has(redis)) {
    redis.defineCommand('fanoutAdd', { numberOfKeys: 2, lua: FANOUT_ADD })
    redis.defineCommand('graphFill', { numberOfKeys: 3, lua: GRAPH_FILL })
    redis.defineCommand('touchReader', { numberOfKeys: 2, lua: TOUCH })
    redis.defineCommand('redisRestarted', { numberOfKeys: 3, lua: RESTARTED })
    scripted.add(redis)
  }

  async function inBatches(userIds: string[], queue: (pipeline: ReturnType<Redis['pipeline']>, userId: string) => void) {
    let results: unknown[] = []
    for (let i = 0; i < userIds.length; i += options.batch) {
      const pipeline = redis.pipeline()
      for (const userId of userIds.slice(i, i + options.batch)) queue(pipeline, userId)
      const replies = (await pipeline.exec()) ?? []
      const failed = replies.find(([error]) => error)
      if (failed) throw failed[0]
      results = results.concat(replies.map(([, value]) => value))
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
      const written = await inBatches(userIds, (p, userId) => p.fanoutAdd(active(userId), home(userId), member, options.maxEntries))
      return written.reduce<number>((sum, n) => sum + Number(n), 0)
    },

    async removeEverywhere(entry: Entry, userIds: string[]) {
      const member = encodeEntry(entry)
      await inBatches(userIds, (p, userId) => p.zrem(home(userId), member))
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
      const [trusted, generation] = await redis.touchReader(active(userId), GENERATION, options.activeSeconds)
      return { trusted: trusted === 1, generation }
    },

    /** The generation the worker writes cached tweets, names and reader state in. */
    generation: async () => (await redis.get(GENERATION)) ?? '0',

    /**
     * To be called whenever the connection to Redis is (re)established: if Redis restarted since the
     * data was last known whole, moves the generation; true when it did.
     */
    async noticeRestart(): Promise<boolean> {
      const runId = /run_id:(\w+)/.exec(await redis.info('server'))?.[1]
      return runId !== undefined && (await redis.redisRestarted(REDIS_RUN, GENERATION, CELEBRITY_EPOCH, runId)) === 1
    },

    async lookupGraph(userId: string): Promise<GraphLookup> {
      const [value, version, epoch] = await redis.mget(graph(userId), graphVersion(userId), CELEBRITY_EPOCH)
      const entry = value ? (JSON.parse(value) as { epoch: string; followees: ReaderGraph['followees']; hidden: string[] }) : undefined
      const cached = entry && entry.epoch === (epoch ?? '') ? { followees: entry.followees, hidden: new Set(entry.hidden) } : undefined
      return { cached, version: version ?? '', epoch: epoch ?? '' }
    },

    /** Caches `value` unless the reader's graph or the epoch moved since `lookup`; true when cached. */
    async fillGraph(userId: string, lookup: GraphLookup, value: ReaderGraph) {
      const entry = JSON.stringify({ epoch: lookup.epoch, followees: value.followees, hidden: [...value.hidden] })
      return (await redis.graphFill(graph(userId), graphVersion(userId), CELEBRITY_EPOCH, lookup.version, lookup.epoch, entry, GRAPH_SECONDS)) === 1
    },

    /** After a follow, block or mute touching these readers is in the projection. */
    async graphsChanged(userIds: string[]) {
      const multi = redis.multi()
      for (const userId of userIds) multi.incr(graphVersion(userId)).expire(graphVersion(userId), VERSION_SECONDS).del(graph(userId))
      await multi.exec()
    },

    celebritiesChanged: () => redis.incr(CELEBRITY_EPOCH),

    /** Empties a home timeline before a rebuild; only for readers that were inactive. */
    resetHome: (userId: string) => redis.del(home(userId)),
  }
}
export type TimelineStore = ReturnType<typeof createTimelineStore>
