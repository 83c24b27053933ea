import type { Viewer } from '@starling/shared/schemas'
import type { Result } from 'ioredis'
import { getMany, type RedisClient } from '@starling/shared/db'
import type { TweetRecord, UserRecord, ViewerSets } from './projection.repository.ts'

// Every key names the generation it was written in (see timeline.store.ts): a Redis back from a
// crash may have lost a tombstone or a newer name, so nothing cached before it is read after it.
// A reader's four keys share the hash tag of their id: FILL_VIEWER and VIEWER_CHANGED touch them
// together, on the one Redis Cluster node holding them.
const tweetKey = (generation: string, id: string) => `tl:${generation}:tweet:${id}`
const userKey = (generation: string, id: string) => `tl:${generation}:user:${id}`
const likedKey = (generation: string, readerId: string) => `tl:${generation}:liked:{${readerId}}`
const retweetedKey = (generation: string, readerId: string) => `tl:${generation}:retweeted:{${readerId}}`
/** The oldest tweet id the reader's cached sets answer for (their likes older than it were not loaded). */
const floorKey = (generation: string, readerId: string) => `tl:${generation}:viewer:{${readerId}}:floor`
const viewerVersionKey = (generation: string, readerId: string) => `tl:${generation}:viewer:{${readerId}}:version`

const BODY = ['text', 'created_at', 'author_id', 'conversation_id', 'reply_to_id', 'quote_of_id', 'mentions', 'hashtags', 'media'] as const
type Body = Pick<TweetRecord, (typeof BODY)[number]>
export type CountField = 'like_count' | 'retweet_count' | 'reply_count'
const COUNT_POSITION: Record<CountField, number> = { like_count: 1, retweet_count: 2, reply_count: 3 }

/*
 * A cached tweet is one string, `<likes>,<retweets>,<replies>|<body JSON>`, so a page's tweets,
 * names and the reader's markers come back in one MGET. A count the worker has not written yet
 * is empty, and so is the body until a reader fills it; `x` is a deleted tweet.
 */
const DELETED = 'x'

// A reader's fill of a tweet: the body (immutable), and each count only where the worker has not
// written one (the worker's is newer than what the reader read); nothing once the tweet is deleted.
const FILL_TWEET = `
local cached = redis.call('GET', KEYS[1])
local l, r, p = ARGV[1], ARGV[2], ARGV[3]
if cached then
  if cached == '${DELETED}' then return 0 end
  local cl, cr, cp = string.match(cached, '^(%d*),(%d*),(%d*)|')
  if cl and cl ~= '' then l = cl end
  if cr and cr ~= '' then r = cr end
  if cp and cp ~= '' then p = cp end
end
redis.call('SET', KEYS[1], l .. ',' .. r .. ',' .. p .. '|' .. ARGV[4], 'EX', ARGV[5])
return 1`

// The worker's count, after it committed: it replaces the cached one, or waits for a fill's body.
const SET_COUNT = `
local cached = redis.call('GET', KEYS[1])
if cached == '${DELETED}' then return 0 end
local counts = {'', '', ''}
local body = ''
if cached then
  local l, r, p, b = string.match(cached, '^(%d*),(%d*),(%d*)|(.*)$')
  counts = {l, r, p}
  body = b
end
counts[tonumber(ARGV[1])] = ARGV[2]
redis.call('SET', KEYS[1], counts[1] .. ',' .. counts[2] .. ',' .. counts[3] .. '|' .. body, 'EX', ARGV[3])
return 1`

// An author's name (`<version>|<JSON>`), kept only if newer than the one cached: a reader's fill
// from Postgres and the worker's copy of a user.updated event may arrive in either order.
const PUT_USER = `
local cached = redis.call('GET', KEYS[1])
if cached and tonumber(string.match(cached, '^(%d+)|')) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
return 1`

// A reader's likes and retweets, cached only if no like or retweet of theirs was applied since the
// caller read the version, before loading them from Postgres.
const FILL_VIEWER = `
if (redis.call('GET', KEYS[4]) or '') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
local liked = tonumber(ARGV[4])
for i = 5, 4 + liked do redis.call('SADD', KEYS[1], ARGV[i]) end
for i = 5 + liked, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3])
return 1`

// The worker's change to a reader's likes or retweets, after it committed: into the cached set if
// there is one, and the version moves so a fill that read Postgres before the commit is refused.
const VIEWER_CHANGED = `
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
if redis.call('EXISTS', KEYS[2]) == 1 then
  if ARGV[2] == '1' then redis.call('SADD', KEYS[1], ARGV[1]) else redis.call('SREM', KEYS[1], ARGV[1]) end
end
return 1`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fillTweet(key: string, likes: number, retweets: number, replies: number, body: string, seconds: number): Result<number, Context>
    setCount(key: string, position: number, value: number, seconds: number): Result<number, Context>
    putUser(key: string, version: number, json: string, seconds: number): Result<number, Context>
    fillViewer(liked: string, retweeted: string, floor: string, version: string, ...args: (string | number)[]): Result<number, Context>
    viewerChanged(set: string, floor: string, version: string, tweetId: string, on: '1' | '0', seconds: number): Result<number, Context>
  }
}

/** A tweet as cached: undefined when not cached, null when the worker knows it is deleted. */
export type CachedTweet = TweetRecord | null

/** What one read of the cache found for a round of a page. */
export interface CacheHit {
  tweets: Map<string, CachedTweet>
  users: Map<string, UserRecord>
  /** The reader's state of each tweet the cached sets answer for. */
  viewer: Map<string, Viewer>
  /** The version a viewer fill must see unchanged; undefined when the reader's sets are cached. */
  viewerMiss: string | undefined
}

const scripted = new WeakSet<RedisClient>()

/**
 * The Redis copies of what a timeline page shows: tweets (counts, body or tombstone), their authors'
 * names, and each reader's likes and retweets. Readers fill them on a miss; the worker keeps them
 * current from the events it applies, after its commit, so a read never sees a tweet that was
 * deleted, a name older than the one it could have read, or a like taken back.
 */
export function createTimelineCache(redis: RedisClient, options: { seconds: number; viewerLoad: number }) {
  const { seconds } = options
  if (!scripted.has(redis)) {
    redis.defineCommand('fillTweet', { numberOfKeys: 1, lua: FILL_TWEET })
    redis.defineCommand('setCount', { numberOfKeys: 1, lua: SET_COUNT })
    redis.defineCommand('putUser', { numberOfKeys: 1, lua: PUT_USER })
    redis.defineCommand('fillViewer', { numberOfKeys: 4, lua: FILL_VIEWER })
    redis.defineCommand('viewerChanged', { numberOfKeys: 3, lua: VIEWER_CHANGED })
    scripted.add(redis)
  }

  function toTweet(id: string, value: string | null): CachedTweet | undefined {
    if (value === null) return undefined
    if (value === DELETED) return null
    const bar = value.indexOf('|')
    const [likes, retweets, replies] = value.slice(0, bar).split(',')
    if (bar === value.length - 1 || !likes || !retweets || !replies) return undefined
    // A body cached before tweets had pictures reads as having none.
    const body = { media: [], ...JSON.parse(value.slice(bar + 1)) as Omit<Body, 'media'> }
    return { id, ...body, like_count: Number(likes), retweet_count: Number(retweets), reply_count: Number(replies) }
  }

  function toUser(id: string, value: string | null): UserRecord | undefined {
    if (value === null) return undefined
    const bar = value.indexOf('|')
    const { username, display_name: displayName, avatar_url: avatarUrl = null } = JSON.parse(value.slice(bar + 1)) as { username: string; display_name: string; avatar_url?: string | null }
    return { id, username, display_name: displayName, avatar_url: avatarUrl, version: Number(value.slice(0, bar)) }
  }

  return {
    /** One round trip: an MGET of the tweets, names and the reader's markers (on a cluster, a GET each, a write per node), and their likes and retweets among the tweets. */
    async read(generation: string, readerId: string, tweetIds: string[], userIds: string[]): Promise<CacheHit> {
      const keys = [floorKey(generation, readerId), viewerVersionKey(generation, readerId),
        ...tweetIds.map((id) => tweetKey(generation, id)), ...userIds.map((id) => userKey(generation, id))]
      const [values, liked, retweeted] = await Promise.all([
        getMany(redis, keys),
        tweetIds.length > 0 ? redis.smismember(likedKey(generation, readerId), ...tweetIds) : [],
        tweetIds.length > 0 ? redis.smismember(retweetedKey(generation, readerId), ...tweetIds) : [],
      ])
      const [floor = null, version = null] = values
      const hit: CacheHit = { tweets: new Map(), users: new Map(), viewer: new Map(), viewerMiss: floor === null ? version ?? '' : undefined }
      tweetIds.forEach((id, i) => {
        const tweet = toTweet(id, values[2 + i] ?? null)
        if (tweet !== undefined) hit.tweets.set(id, tweet)
      })
      userIds.forEach((id, i) => {
        const user = toUser(id, values[2 + tweetIds.length + i] ?? null)
        if (user) hit.users.set(id, user)
      })
      if (floor !== null) {
        tweetIds.forEach((id, i) => {
          if (BigInt(id) >= BigInt(floor)) hit.viewer.set(id, { liked: liked[i] === 1, retweeted: retweeted[i] === 1 })
        })
      }
      return hit
    },

    async fillTweets(generation: string, tweets: TweetRecord[]) {
      await Promise.all(tweets.map((tweet) => {
        const body: Body = Object.fromEntries(BODY.map((field) => [field, tweet[field]])) as Body
        return redis.fillTweet(tweetKey(generation, tweet.id), tweet.like_count, tweet.retweet_count, tweet.reply_count, JSON.stringify(body), seconds)
      }))
    },

    /** Both readers (from Postgres) and the worker (from user events) put names; the newer version stays. */
    async putUsers(generation: string, users: UserRecord[]) {
      await Promise.all(users.map((user) => redis.putUser(userKey(generation, user.id), user.version, JSON.stringify({ username: user.username, display_name: user.display_name, avatar_url: user.avatar_url }), seconds)))
    },

    /** Caches the reader's sets unless a like or retweet of theirs was applied since `version` was read. */
    async fillViewer(generation: string, readerId: string, version: string, sets: ViewerSets) {
      await redis.fillViewer(likedKey(generation, readerId), retweetedKey(generation, readerId), floorKey(generation, readerId), viewerVersionKey(generation, readerId),
        version, sets.floor, seconds, sets.liked.length, ...sets.liked, ...sets.retweeted)
    },

    /** How many rows a viewer fill loads of each kind: the newest, by tweet id. */
    viewerLoad: options.viewerLoad,

    // The worker's side, each after the change committed in Postgres.

    async setCount(generation: string, tweetId: string, field: CountField, value: number) {
      await redis.setCount(tweetKey(generation, tweetId), COUNT_POSITION[field], value, seconds)
    },

    async tweetDeleted(generation: string, tweetId: string) {
      await redis.set(tweetKey(generation, tweetId), DELETED, 'EX', seconds)
    },

    async viewerChanged(generation: string, readerId: string, kind: 'liked' | 'retweeted', tweetId: string, on: boolean) {
      const set = kind === 'liked' ? likedKey(generation, readerId) : retweetedKey(generation, readerId)
      await redis.viewerChanged(set, floorKey(generation, readerId), viewerVersionKey(generation, readerId), tweetId, on ? '1' : '0', seconds)
    },
  }
}
export type TimelineCache = ReturnType<typeof createTimelineCache>
