import type { MemoryTweetRepository } from '../tweets/tweet.repository.memory.ts'
import type { EngagementRepository } from './engagement.repository.ts'

/**
 * Likes and retweets in memory, over the in-memory tweets whose counts they change (as the SQL
 * changes the tweets row): a row only on a live tweet, once per user. Retweet ids come from the
 * tweets' id sequence, so a retweet is newer than what it shares.
 */
export function createMemoryEngagementRepository(tweets: Pick<MemoryTweetRepository, 'rows' | 'newId'>, clock = () => new Date()): EngagementRepository {
  const live = (tweetId: string) => {
    const row = tweets.rows.get(tweetId)
    return row && !row.deleted_at ? row : undefined
  }
  function edges(count: 'like_count' | 'retweet_count', withId: boolean) {
    const table = new Map<string, { id: string | null; at: Date }>()
    const key = (tweetId: string, userId: string) => `${tweetId}:${userId}`
    return {
      async add(tweetId: string, userId: string) {
        if (!live(tweetId) || table.has(key(tweetId, userId))) return undefined
        const row = { id: withId ? tweets.newId() : null, at: clock() }
        table.set(key(tweetId, userId), row)
        return row
      },
      async remove(tweetId: string, userId: string) {
        const row = table.get(key(tweetId, userId))
        if (!row) return undefined
        table.delete(key(tweetId, userId))
        return { id: row.id, at: clock() }
      },
      async addToCount(tweetId: string, delta: 1 | -1) {
        const tweet = live(tweetId)
        if (!tweet) return undefined
        tweet[count] += delta
        return { count: tweet[count], author_id: tweet.author_id }
      },
      count: async (tweetId: string) => live(tweetId)?.[count],
      has: (tweetId: string, userId: string) => table.has(key(tweetId, userId)),
    }
  }
  const likes = edges('like_count', false)
  const retweets = edges('retweet_count', true)
  return {
    likes,
    retweets,
    async viewerStates(userId: string, tweetIds: readonly string[]) {
      return new Map(tweetIds.map((id) => [id, { liked: likes.has(id, userId), retweeted: retweets.has(id, userId) }]))
    },
  }
}
