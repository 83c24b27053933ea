import { withTransaction } from '@starling/shared/db'
import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { enqueueEvents } from '@starling/shared/outbox'
import { isId } from '@starling/shared/schemas'
import type { Pool } from 'pg'
import { tweetNotFound } from '../tweets/tweet.service.ts'
import type { CountedTweet, EdgeChange, EngagementRepository, Edges } from './engagement.repository.ts'

/**
 * Likes and retweets, each idempotent: an event is written, and the count changed, only when a row
 * was really added or removed. Events are keyed by the tweet and carry its count after the change.
 */
export function createEngagementService(deps: { pool: Pool; engagements: EngagementRepository }) {
  const { pool, engagements: { likes, retweets } } = deps

  /** Adds (+1) or removes (-1) the user's row; returns the tweet's count afterwards. */
  async function change(edges: Edges, tweetId: string, userId: string, delta: 1 | -1,
    event: (row: EdgeChange, tweet: CountedTweet) => EventEnvelope): Promise<number> {
    if (!isId(tweetId)) throw tweetNotFound(tweetId)
    return withTransaction(pool, async (tx) => {
      const row = delta === 1 ? await edges.add(tx, tweetId, userId) : await edges.remove(tx, tweetId, userId)
      if (!row) return (await edges.count(tx, tweetId)) ?? Promise.reject(tweetNotFound(tweetId))
      // Concurrent changes of one tweet queue on its row here, so its events enter the outbox in count order.
      const tweet = await edges.addToCount(tx, tweetId, delta)
      // Deleted meanwhile: the rollback undoes the row change too.
      if (!tweet) throw tweetNotFound(tweetId)
      await enqueueEvents(tx, [event(row, tweet)])
      return tweet.count
    })
  }

  const common = (tweetId: string, userId: string, row: EdgeChange, tweet: CountedTweet) =>
    ({ tweet_id: tweetId, user_id: userId, tweet_author_id: tweet.author_id, at: row.at.toISOString() })

  return {
    like: async (userId: string, tweetId: string) => ({
      liked: true,
      like_count: await change(likes, tweetId, userId, 1, (row, tweet) =>
        createEvent('like.created', 1, tweetId, { ...common(tweetId, userId, row, tweet), like_count: tweet.count })),
    }),
    unlike: async (userId: string, tweetId: string) => ({
      liked: false,
      like_count: await change(likes, tweetId, userId, -1, (row, tweet) =>
        createEvent('like.deleted', 1, tweetId, { ...common(tweetId, userId, row, tweet), like_count: tweet.count })),
    }),
    retweet: async (userId: string, tweetId: string) => ({
      retweeted: true,
      retweet_count: await change(retweets, tweetId, userId, 1, (row, tweet) =>
        createEvent('retweet.created', 1, tweetId, { ...common(tweetId, userId, row, tweet), retweet_count: tweet.count, retweet_id: row.id! })),
    }),
    unretweet: async (userId: string, tweetId: string) => ({
      retweeted: false,
      retweet_count: await change(retweets, tweetId, userId, -1, (row, tweet) =>
        createEvent('retweet.deleted', 1, tweetId, { ...common(tweetId, userId, row, tweet), retweet_count: tweet.count, retweet_id: row.id! })),
    }),
  }
}
export type EngagementService = ReturnType<typeof createEngagementService>
