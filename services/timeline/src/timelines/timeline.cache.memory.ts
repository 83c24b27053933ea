import type { UserRecord } from './projection.repository.ts'
import type { CacheHit, CachedTweet, TimelineCache } from './timeline.cache.ts'

/**
 * The Redis copies of tweets, names and readers' state in memory, for unit tests, with the real
 * cache's rules: a tombstone outlives any fill, a count the worker wrote outlives a fill's, the
 * newer name wins, and a viewer fill is refused once the reader's version moved. No expiry.
 */
export function createMemoryTimelineCache(options: { viewerLoad?: number } = {}): TimelineCache {
  const tweets = new Map<string, { body?: Omit<NonNullable<CachedTweet>, 'like_count' | 'retweet_count' | 'reply_count'>; counts: Record<string, number>; deleted?: true }>()
  const users = new Map<string, UserRecord>()
  const viewers = new Map<string, { floor: string; liked: Set<string>; retweeted: Set<string> }>()
  const versions = new Map<string, number>()
  const tweet = (key: string) => tweets.get(key) ?? tweets.set(key, { counts: {} }).get(key)!
  const at = (generation: string, id: string) => `${generation}:${id}`

  return {
    async read(generation, readerId, tweetIds, userIds) {
      const viewer = viewers.get(at(generation, readerId))
      const hit: CacheHit = { tweets: new Map(), users: new Map(), viewer: new Map(), viewerMiss: viewer ? undefined : String(versions.get(at(generation, readerId)) ?? '') }
      for (const id of tweetIds) {
        const cached = tweets.get(at(generation, id))
        const { like_count, retweet_count, reply_count } = cached?.counts ?? {}
        if (cached?.deleted) hit.tweets.set(id, null)
        else if (cached?.body && like_count !== undefined && retweet_count !== undefined && reply_count !== undefined) hit.tweets.set(id, { ...cached.body, like_count, retweet_count, reply_count })
      }
      for (const id of userIds) {
        const user = users.get(at(generation, id))
        if (user) hit.users.set(id, user)
      }
      if (viewer) for (const id of tweetIds) if (BigInt(id) >= BigInt(viewer.floor)) hit.viewer.set(id, { liked: viewer.liked.has(id), retweeted: viewer.retweeted.has(id) })
      return hit
    },
    async fillTweets(generation, rows) {
      for (const { like_count, retweet_count, reply_count, ...body } of rows) {
        const cached = tweet(at(generation, body.id))
        if (cached.deleted) continue
        cached.body = body
        cached.counts = { like_count, retweet_count, reply_count, ...cached.counts }
      }
    },
    async putUsers(generation, rows) {
      for (const user of rows) {
        const cached = users.get(at(generation, user.id))
        if (!cached || cached.version < user.version) users.set(at(generation, user.id), user)
      }
    },
    async fillViewer(generation, readerId, version, sets) {
      if (String(versions.get(at(generation, readerId)) ?? '') !== version) return
      viewers.set(at(generation, readerId), { floor: sets.floor, liked: new Set(sets.liked), retweeted: new Set(sets.retweeted) })
    },
    viewerLoad: options.viewerLoad ?? 1000,
    async setCount(generation, tweetId, field, value) {
      tweet(at(generation, tweetId)).counts[field] = value
    },
    async tweetDeleted(generation, tweetId) {
      const cached = tweet(at(generation, tweetId))
      cached.deleted = true
      delete cached.body
    },
    async viewerChanged(generation, readerId, kind, tweetId, on) {
      versions.set(at(generation, readerId), (versions.get(at(generation, readerId)) ?? 0) + 1)
      const set = viewers.get(at(generation, readerId))?.[kind]
      if (on) set?.add(tweetId)
      else set?.delete(tweetId)
    },
  }
}
