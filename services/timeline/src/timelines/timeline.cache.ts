import type { Viewer } from '@starling/shared/schemas'
import type { Redis, Result } from 'ioredis'
import type { TweetRecord, UserRecord, ViewerSets } from './projection.repository.ts'

// Every key names the generation it was written in (see timeline.store.ts): a Redis back from a
// crash may have lost a tombstone or a newer name, so nothing cached before it is read after it.
const tweetKey = (generation: string, id: string) => `tl:${generation}:tweet:${id}`
const userKey = (generation: string, id: string) => `tl:${generation}:user:${id}`
const likedKey = (generation: string, readerId: string) => `tl:${generation}:liked:${readerId}`
const retweetedKey = (generation: string, readerId: string) => `tl:${generation}:retweeted:${readerId}`
/** The oldest tweet id the reader's cached sets answer for (their likes older than it were not loaded). */
const floorKey = (generation: string, readerId: string) => `tl:${generation}:viewer:${readerId}:floor`
const viewerVersionKey = (generation: string, readerId: string) => `tl:${generation}:viewer:${readerId}:version`

const BODY = ['text', 'created_at', 'author_id', 'conversation_id', 'reply_to_id', 'quote_of_id', 'mentions', 'hashtags'] as const
type Body = Pick<TweetRecord, (typeof BODY)[number]>
export type CountField = 'like_count' | 'retweet_count' | 'reply_count'

// A reader's fill of a tweet: the body (immutable), and each count only where the worker has not
// written a newer one; nothing once the tweet is deleted (the worker's tombstone wins).
const FILL_TWEET = `
if redis.call('HEXISTS', KEYS[1], 'deleted') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'body', ARGV[1])
redis.call('HSETNX', KEYS[1], 'like_count', ARGV[2])
redis.call('HSETNX', KEYS[1], 'retweet_count', ARGV[3])
redis.call('HSETNX', KEYS[1], 'reply_count', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1`

// An author's name, kept only if newer than the one cached: a reader's fill from Postgres and the
// worker's copy of a user.updated event may arrive in either order.
const PUT_USER = `
local cached = redis.call('HGET', KEYS[1], 'version')
if cached and tonumber(cached) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'username', ARGV[1], 'display_name', ARGV[2], 'version', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
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
    fillTweet(key: string, body: string, likes: number, retweets: number, replies: number, seconds: number): Result<number, Context>
    putUser(key: string, username: string, displayName: string, version: number, seconds: number): Result<number, Context>
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

const scripted = new WeakSet<Redis>()

/**
 * The Redis copies of what a timeline page shows: tweets (body, counts, tombstone), their authors'
 * names, and each reader's likes and retweets. Readers fill them on a miss; the worker keeps them
 * current from the events it applies, after its commit, so a read never sees a tweet that was
 * deleted, a name older than the one it could have read, or a like taken back.
 */
export function createTimelineCache(redis: Redis, options: { seconds: number; viewerLoad: number }) {
  const { seconds } = options
  if (!scripted.has(redis)) {
    redis.defineCommand('fillTweet', { numberOfKeys: 1, lua: FILL_TWEET })
    redis.defineCommand('putUser', { numberOfKeys: 1, lua: PUT_USER })
    redis.defineCommand('fillViewer', { numberOfKeys: 4, lua: FILL_VIEWER })
    redis.defineCommand('viewerChanged', { numberOfKeys: 3, lua: VIEWER_CHANGED })
    scripted.add(redis)
  }

  function toTweet(id: string, fields: Record<string, string>): CachedTweet | undefined {
    if (fields.deleted) return null
    if (!fields.body || fields.like_count === undefined || fields.retweet_count === undefined || fields.reply_count === undefined) return undefined
    const body = JSON.parse(fields.body) as Body
    return { id, ...body, like_count: Number(fields.like_count), retweet_count: Number(fields.retweet_count), reply_count: Number(fields.reply_count) }
  }

  return {
    /** Sends every lookup of a round at once (auto-pipelined: one round trip). */
    async read(generation: string, readerId: string, tweetIds: string[], userIds: string[]): Promise<CacheHit> {
      const [tweets, users, floor, version, liked, retweeted] = await Promise.all([
        Promise.all(tweetIds.map((id) => redis.hgetall(tweetKey(generation, id)))),
        Promise.all(userIds.map((id) => redis.hgetall(userKey(generation, id)))),
        redis.get(floorKey(generation, readerId)),
        redis.get(viewerVersionKey(generation, readerId)),
        tweetIds.length > 0 ? redis.smismember(likedKey(generation, readerId), ...tweetIds) : [],
        tweetIds.length > 0 ? redis.smismember(retweetedKey(generation, readerId), ...tweetIds) : [],
      ])
      const hit: CacheHit = { tweets: new Map(), users: new Map(), viewer: new Map(), viewerMiss: floor === null ? version ?? '' : undefined }
      tweetIds.forEach((id, i) => {
        const tweet = toTweet(id, tweets[i]!)
        if (tweet !== undefined) hit.tweets.set(id, tweet)
      })
      userIds.forEach((id, i) => {
        const { username, display_name: displayName, version: at } = users[i]!
        if (username !== undefined && displayName !== undefined && at !== undefined) hit.users.set(id, { id, username, display_name: displayName, version: Number(at) })
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
        return redis.fillTweet(tweetKey(generation, tweet.id), JSON.stringify(body), tweet.like_count, tweet.retweet_count, tweet.reply_count, seconds)
      }))
    },

    /** Both readers (from Postgres) and the worker (from user events) put names; the newer version stays. */
    async putUsers(generation: string, users: UserRecord[]) {
      await Promise.all(users.map((user) => redis.putUser(userKey(generation, user.id), user.username, user.display_name, user.version, seconds)))
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
      await redis.multi().hset(tweetKey(generation, tweetId), field, value).expire(tweetKey(generation, tweetId), seconds).exec()
    },

    async tweetDeleted(generation: string, tweetId: string) {
      const key = tweetKey(generation, tweetId)
      await redis.multi().hset(key, 'deleted', '1').hdel(key, 'body').expire(key, seconds).exec()
    },

    async viewerChanged(generation: string, readerId: string, kind: 'liked' | 'retweeted', tweetId: string, on: boolean) {
      const set = kind === 'liked' ? likedKey(generation, readerId) : retweetedKey(generation, readerId)
      await redis.viewerChanged(set, floorKey(generation, readerId), viewerVersionKey(generation, readerId), tweetId, on ? '1' : '0', seconds)
    },
  }
}
export type TimelineCache = ReturnType<typeof createTimelineCache>
