import { mediaOfTweet, type PayloadOf } from '@starling/shared/events'
import { createMemoryReplicaRepository } from '@starling/shared/testing'
import type { Entry } from './entry.ts'
import type { ProjectionRepository, TweetRecord } from './projection.repository.ts'

const newestFirst = (a: string, b: string) => (BigInt(a) < BigInt(b) ? 1 : BigInt(a) > BigInt(b) ? -1 : 0)

/**
 * The projection's tables in memory, beside the replicas' (users, blocks, mutes), for unit tests of
 * the fanout and the reads: the same rules as the SQL (a follow counted once, a reply counted once,
 * an event claimed once), the same orders (newest id first).
 */
export function createMemoryProjection() {
  const replicas = createMemoryReplicaRepository()
  const { users, relations } = replicas.tables
  const follows = new Set<string>()
  const followerCounts = new Map<string, number>()
  const tweets = new Map<string, PayloadOf<'tweet.created'> & { reply_count: number; deleted_at: string | null }>()
  const counts = new Map<string, { like_count: number; retweet_count: number }>()
  const retweets = new Map<string, { tweetId: string; userId: string; at: string }>()
  const likes = new Set<string>()
  const claimed = new Set<string>()
  const edge = (a: string, b: string) => `${a}>${b}`
  const ends = (key: string) => key.split('>') as [string, string]
  const followersOf = (userId: string) => [...follows].map(ends).filter(([, followee]) => followee === userId).map(([follower]) => follower)

  const projection: ProjectionRepository = {
    async addFollow(followerId, followeeId) {
      if (!follows.has(edge(followerId, followeeId))) {
        follows.add(edge(followerId, followeeId))
        followerCounts.set(followeeId, (followerCounts.get(followeeId) ?? 0) + 1)
      }
      return followerCounts.get(followeeId) ?? 0
    },
    async removeFollow(followerId, followeeId) {
      if (follows.delete(edge(followerId, followeeId))) followerCounts.set(followeeId, (followerCounts.get(followeeId) ?? 0) - 1)
      return followerCounts.get(followeeId) ?? 0
    },
    follows: async (followerId, followeeId) => follows.has(edge(followerId, followeeId)),
    async insertTweet(tweet) {
      if (tweets.has(tweet.tweet_id)) return
      tweets.set(tweet.tweet_id, { ...tweet, reply_count: 0, deleted_at: null })
      const parent = tweet.reply_to_id ? tweets.get(tweet.reply_to_id) : undefined
      if (parent) parent.reply_count++
    },
    async deleteTweet(tweetId, deletedAt) {
      const tweet = tweets.get(tweetId)
      if (!tweet || tweet.deleted_at) return undefined
      tweet.deleted_at = deletedAt
      const parent = tweet.reply_to_id ? tweets.get(tweet.reply_to_id) : undefined
      if (parent) parent.reply_count--
      return { replyToId: tweet.reply_to_id }
    },
    async setCount(tweetId, column, value) {
      counts.set(tweetId, { like_count: 0, retweet_count: 0, ...counts.get(tweetId), [column]: value })
    },
    async insertRetweet(retweet) {
      if (!retweets.has(retweet.id)) retweets.set(retweet.id, { tweetId: retweet.tweetId, userId: retweet.userId, at: retweet.at })
    },
    async deleteRetweet(retweetId) {
      retweets.delete(retweetId)
    },
    async addLike(userId, tweetId) {
      likes.add(edge(userId, tweetId))
    },
    async removeLike(userId, tweetId) {
      likes.delete(edge(userId, tweetId))
    },
    async claim(consumer, eventId) {
      const key = `${consumer}:${eventId}`
      if (claimed.has(key)) return false
      claimed.add(key)
      return true
    },
    followerCount: async (userId) => followerCounts.get(userId) ?? 0,
    followersOf: async (userId) => followersOf(userId),
    followersBelow: async (userId, threshold) => ((followerCounts.get(userId) ?? 0) < threshold ? followersOf(userId) : []),
    async readerGraph(userId) {
      // The replica keys a relation `<relation>:<actor>><subject>`.
      const pairs = (relation: string) => [...relations].filter((key) => key.startsWith(`${relation}:`)).map((key) => ends(key.slice(relation.length + 1)))
      return {
        followees: [...follows].map(ends).filter(([follower]) => follower === userId).map(([, id]) => ({ id, followers: followerCounts.get(id) ?? 0 })),
        hidden: new Set([
          ...pairs('blocks').filter(([blocker]) => blocker === userId).map(([, blocked]) => blocked),
          ...pairs('blocks').filter(([, blocked]) => blocked === userId).map(([blocker]) => blocker),
          ...pairs('mutes').filter(([muter]) => muter === userId).map(([, muted]) => muted),
        ]),
      }
    },
    async recentEntries(actorIds, limit) {
      const live = (id: string) => { const tweet = tweets.get(id); return tweet && !tweet.deleted_at ? tweet : undefined }
      const own: Entry[] = [...tweets.values()]
        .filter((t) => actorIds.includes(t.author_id) && !t.deleted_at)
        .sort((a, b) => newestFirst(a.tweet_id, b.tweet_id)).slice(0, limit)
        .map((t) => ({ sortId: t.tweet_id, tweetId: t.tweet_id, authorId: t.author_id, retweeterId: null }))
      const shared: Entry[] = [...retweets].filter(([, r]) => actorIds.includes(r.userId) && live(r.tweetId))
        .sort(([a], [b]) => newestFirst(a, b)).slice(0, limit)
        .map(([id, r]) => ({ sortId: id, tweetId: r.tweetId, authorId: live(r.tweetId)!.author_id, retweeterId: r.userId }))
      return [...own, ...shared]
    },
    async tweets(ids) {
      const rows = new Map<string, TweetRecord>()
      for (const id of ids) {
        const t = tweets.get(id)
        if (!t || t.deleted_at) continue
        rows.set(id, {
          id, text: t.text, created_at: new Date(t.created_at).toISOString(), author_id: t.author_id,
          conversation_id: t.conversation_id, reply_to_id: t.reply_to_id, quote_of_id: t.quote_of_id, mentions: t.mentions, hashtags: t.hashtags, media: mediaOfTweet(t),
          like_count: counts.get(id)?.like_count ?? 0, retweet_count: counts.get(id)?.retweet_count ?? 0, reply_count: t.reply_count,
        })
      }
      return rows
    },
    replyCount: async (tweetId) => tweets.get(tweetId)?.reply_count,
    async viewerSets(userId, limit) {
      const newest = (ids: string[]) => [...new Set(ids)].sort(newestFirst).slice(0, limit)
      const liked = newest([...likes].map(ends).filter(([who]) => who === userId).map(([, id]) => id))
      const retweeted = newest([...retweets.values()].filter((r) => r.userId === userId).map((r) => r.tweetId))
      const full = [liked, retweeted].filter((ids) => ids.length === limit).map((ids) => BigInt(ids.at(-1)!))
      return { liked, retweeted, floor: String(full.reduce((a, b) => (a > b ? a : b), 0n)) }
    },
    async viewerStates(userId, tweetIds) {
      const retweeted = new Set([...retweets.values()].filter((r) => r.userId === userId).map((r) => r.tweetId))
      return new Map(tweetIds.map((id) => [id, { liked: likes.has(edge(userId, id)), retweeted: retweeted.has(id) }]))
    },
    async users(ids) {
      return new Map(ids.flatMap((id) => {
        const user = users.get(id)
        return user ? [[id, { id, username: user.username, display_name: user.display_name, avatar_url: user.avatar_url, version: Date.parse(user.updated_at) }] as const] : []
      }))
    },
  }

  return { projection, replicas }
}
