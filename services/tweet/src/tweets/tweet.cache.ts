import { createHash } from 'node:crypto'
import type { Tweet, Viewer } from '@starling/shared/schemas'
import { getMany, isCluster, masters, type RedisClient } from '@starling/shared/db'
import type { Logger } from 'pino'

/** A tweet as stored, without its author's names (they change) or a reader's state of it. */
export type TweetRecord = Omit<Tweet, 'author' | 'viewer'> & { author_id: string }
export type Author = Tweet['author']

/**
 * The key-value operations the cache needs; Redis in production, a Map in unit tests. Reads and
 * fills never fail (a store that cannot answer finds nothing and keeps nothing); a bump fails
 * when it was not applied, so that the worker tries it again.
 */
export interface CacheStore {
  /** null for a key that is not there (or while the store cannot vouch for what it holds). */
  mget(keys: string[]): Promise<(string | null)[]>
  set(entries: [key: string, value: string][], seconds: number): Promise<void>
  /** Increments each key (a missing one counts from 0), keeping it for `seconds`. */
  bump(keys: string[], seconds: number): Promise<void>
}

/** A list of tweets a page is cut from: an author's own tweets, or the replies to a tweet. */
export type TweetList = { author: string } | { repliesTo: string }

/** What a cache lookup found, and how to fill what it did not find. */
export interface Lookup<T> {
  found: Map<string, T>
  missing: string[]
  /** Caches values loaded after the lookup; any that changed since the lookup are not kept. */
  fill(values: Map<string, T>): Promise<void>
}

/** What a change that committed touched: each cached copy of it is no longer read. */
export interface CacheChange {
  tweets?: string[]
  lists?: TweetList[]
  /** Readers whose likes or retweets changed. */
  viewers?: string[]
  /** Authors whose names changed. */
  authors?: string[]
}

// Braces are Redis Cluster hash tags: a value and the version that guards it share a slot.
const tweetKeys = (id: string) => [`t:{${id}}`, `t:{${id}}:v`] as const
const authorKeys = (id: string) => [`u:{${id}}`, `u:{${id}}:v`] as const
const viewerVersion = (readerId: string) => `r:{${readerId}}:v`
const viewerKey = (readerId: string, tweetId: string) => `r:{${readerId}}:${tweetId}`
const listName = (list: TweetList) => ('author' in list ? `a${list.author}` : `r${list.repliesTo}`)
const listVersion = (list: TweetList) => `l:{${listName(list)}}:v`
const pageKey = (list: TweetList, window: { limit: number; after?: string }) => `l:{${listName(list)}}:${window.after ?? ''}:${window.limit}`

/*
 * Every cached value is `<version>|<payload>`, written with the version of its key as it was before
 * the value was read from Postgres. A change that commits moves the version, so a value read
 * before the change (even one written after it) is never taken for current: no value is ever
 * deleted or compared at write time, and a fill needs no script.
 */
const versioned = (version: string | null, payload: string) => `${version ?? '0'}|${payload}`
function current(value: string | null, version: string | null): string | undefined {
  if (value === null) return undefined
  const bar = value.indexOf('|')
  return value.slice(0, bar) === (version ?? '0') ? value.slice(bar + 1) : undefined
}

/**
 * The tweet service's read cache: tweets (with their counts), authors' names, readers' likes and
 * retweets, and the pages of author and reply lists. Readers fill it on a miss; every change is told
 * to it right after its commit (see afterCommit) and again by the worker from the event, so a read
 * never shows a deleted tweet, an old name or count, or a like taken back.
 */
export function createTweetCache(store: CacheStore, options: { seconds: number }) {
  const { seconds } = options
  // A version outlives every value written under it, so a value is never read against a version that expired and restarted.
  const versionSeconds = seconds * 2

  async function lookup<T>(ids: string[], keys: (id: string) => readonly [value: string, version: string],
    parse: (payload: string, id: string) => T, format: (value: T) => string): Promise<Lookup<T>> {
    const values = ids.length > 0 ? await store.mget(ids.flatMap(keys)) : []
    const found = new Map<string, T>()
    const missing: string[] = []
    const versions = new Map<string, string | null>()
    ids.forEach((id, i) => {
      const payload = current(values[2 * i] ?? null, values[2 * i + 1] ?? null)
      if (payload === undefined) {
        missing.push(id)
        versions.set(id, values[2 * i + 1] ?? null)
      } else found.set(id, parse(payload, id))
    })
    return {
      found,
      missing,
      async fill(loaded) {
        const entries = [...loaded].flatMap(([id, value]): [string, string][] =>
          versions.has(id) ? [[keys(id)[0], versioned(versions.get(id)!, format(value))]] : [])
        if (entries.length > 0) await store.set(entries, seconds)
      },
    }
  }

  return {
    // Copies cached before tweets had pictures and accounts avatars read as having none.
    tweets: (ids: string[]) => lookup<TweetRecord>(ids, tweetKeys, (payload, id) => ({ id, media: [], ...JSON.parse(payload) as Omit<TweetRecord, 'id' | 'media'> }),
      ({ id: _id, ...record }) => JSON.stringify(record)),

    authors: (ids: string[]) => lookup<Author>(ids, authorKeys, (payload, id) => ({ id, avatar_url: null, ...JSON.parse(payload) as Omit<Author, 'id' | 'avatar_url'> }),
      ({ id: _id, ...names }) => JSON.stringify(names)),

    /** The reader's like and retweet of each tweet; one version per reader guards them all. */
    viewer: (readerId: string, tweetIds: string[]) => lookup<Viewer>(tweetIds, (id) => [viewerKey(readerId, id), viewerVersion(readerId)],
      (payload) => ({ liked: payload[0] === '1', retweeted: payload[1] === '1' }), ({ liked, retweeted }) => `${liked ? 1 : 0}${retweeted ? 1 : 0}`),

    /** The ids of one page of a list as its query returned them (undefined when not cached), and how to cache them. */
    async page(list: TweetList, window: { limit: number; after?: string }) {
      const key = pageKey(list, window)
      const { found, fill } = await lookup<string[]>([key], () => [key, listVersion(list)],
        (payload) => (payload === '' ? [] : payload.split(',')), (ids) => ids.join(','))
      return { ids: found.get(key), fill: (ids: string[]) => fill(new Map([[key, ids]])) }
    },

    /** Called after a change committed (by the API at once, and by the worker from its event). */
    async changed(change: CacheChange) {
      const keys = [
        ...(change.tweets ?? []).map((id) => tweetKeys(id)[1]),
        ...(change.lists ?? []).map(listVersion),
        ...(change.viewers ?? []).map(viewerVersion),
        ...(change.authors ?? []).map((id) => authorKeys(id)[1]),
      ]
      if (keys.length > 0) await store.bump(keys, versionSeconds)
    },
  }
}
export type TweetCache = ReturnType<typeof createTweetCache>

/**
 * The cache in Redis. Keys name Redis' run id: a Redis that restarted (perhaps from a snapshot
 * older than its last writes, which may have moved versions) starts an empty cache. While the
 * connection is down or the run id not yet known, reads find nothing and fills are dropped;
 * a change waits for the run id, and fails as Redis does.
 */
/** The prefix of every key while these masters run: their run id, or a digest of a cluster's. */
export const runPrefix = (runIds: string[]) =>
  `tw:${runIds.length === 1 ? runIds[0] : createHash('sha256').update([...runIds].sort().join(',')).digest('hex').slice(0, 16)}:`

export function redisCacheStore(redis: RedisClient, logger: Pick<Logger, 'warn'>): CacheStore {
  let prefix: string | undefined
  async function learn() {
    // On a cluster, the masters' run ids: a replica promoted in a master's place has another.
    const runIds = await Promise.all(masters(redis).map(async (node) => /run_id:(\w+)/.exec(await node.info('server'))?.[1]))
    // Transient (retriable): a client not ready, or a cluster between two slot maps, has no masters to ask for a moment.
    if (runIds.length === 0 || runIds.includes(undefined)) throw Object.assign(new Error('Redis is not ready, or did not tell its run_id'), { retriable: true })
    prefix = runPrefix(runIds as string[])
    return prefix
  }
  redis.on('close', () => { prefix = undefined })
  const relearn = () => {
    if (redis.status !== 'ready') return
    learn().catch((error: Error) => logger.warn({ reason: error.message }, 'tweet cache: could not read the Redis run id'))
  }
  redis.on('ready', relearn)
  // A cluster's slots refreshed: a failover may have put a replica in a master's place. And every
  // 2 s: a process that read the masters while its map of the cluster was still moving would
  // otherwise keep another prefix than the others, and miss the versions they move.
  redis.on('refresh', relearn)
  if (isCluster(redis)) setInterval(relearn, 2000).unref()
  relearn()

  return {
    // A read or fill that fails is a miss, or a fill not kept: Postgres answers instead.
    async mget(keys) {
      const at = prefix
      const none = () => keys.map(() => null)
      if (at === undefined) return none()
      return getMany(redis, keys.map((key) => at + key)).catch((error: Error) => {
        logger.warn({ reason: error.message }, 'tweet cache: read failed, answering from Postgres')
        return none()
      })
    },
    async set(entries, seconds) {
      const at = prefix
      if (at === undefined) return
      // One SET each, auto-pipelined: on a cluster the keys live on several nodes.
      await Promise.all(entries.map(([key, value]) => redis.set(at + key, value, 'EX', seconds)))
        .catch((error: Error) => logger.warn({ reason: error.message }, 'tweet cache: fill failed'))
    },
    async bump(keys, seconds) {
      const at = prefix ?? await learn()
      // A MULTI per key (a cluster keeps each to one slot): a version moved twice is as good as
      // once, so a change retried after a partial failure is still right.
      await Promise.all(keys.map(async (key) => {
        const results = await redis.multi().incr(at + key).expire(at + key, seconds).exec()
        const failed = results?.find(([error]) => error)
        if (!results || failed) throw failed?.[0] ?? new Error('Connection is closed: the cache change was not applied')
      }))
    },
  }
}
