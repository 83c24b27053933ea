import { createEvent, type EventEnvelope } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import { isId } from '@starling/shared/schemas'
import { tweetNotFound } from '../tweets/tweet.service.ts'
import type { CountedTweet, EdgeChange, EngagementRepository } from './engagement.repository.ts'

/**
 * Likes and retweets, each idempotent: an event is written, and the count changed, only when a row
 * was really added or removed. Events are keyed by the tweet and carry its count after the change.
 */
export function createEngagementService(deps: { uow: UnitOfWork<{ engagements: EngagementRepository }> }) {
  const { uow } = deps

  /** Adds (+1) or removes (-1) the user's like or retweet; returns the tweet's count afterwards. */
  async function change(kind: 'likes' | 'retweets', tweetId: string, userId: string, delta: 1 | -1,
    event: (row: EdgeChange, tweet: CountedTweet) => EventEnvelope): Promise<number> {
    if (!isId(tweetId)) throw tweetNotFound(tweetId)
    return uow.run(async ({ engagements }, events) => {
      const edges = engagements[kind]
      const row = delta === 1 ? await edges.add(tweetId, userId) : await edges.remove(tweetId, userId)
      if (!row) return (await edges.count(tweetId)) ?? Promise.reject(tweetNotFound(tweetId))
      // Concurrent changes of one tweet queue on its row here, so its events enter the outbox in count order.
      const tweet = await edges.addToCount(tweetId, delta)
      // Deleted meanwhile: the rollback undoes the row change too.
      if (!tweet) throw tweetNotFound(tweetId)
      events.publish(event(row, tweet))
      return tweet.count
    })
  }

  const common = (tweetId: string, userId: string, row: EdgeChange, tweet: CountedTweet) =>
    ({ tweet_id: tweetId, user_id: userId, tweet_author_id: tweet.author_id, at: row.at.toISOString() })

  return {
    like: async (userId: string, tweetId: string) => ({
      liked: true,
      like_count: await change('likes', tweetId, userId, 1, (row, tweet) =>
        createEvent('like.created', 1, tweetId, { ...common(tweetId, userId, row, tweet), like_count: tweet.count })),
    }),
    unlike: async (userId: string, tweetId: string) => ({
      liked: false,
      like_count: await change('likes', tweetId, userId, -1, (row, tweet) =>
        createEvent('like.deleted', 1, tweetId, { ...common(tweetId, userId, row, tweet), like_count: tweet.count })),
    }),
    retweet: async (userId: string, tweetId: string) => ({
      retweeted: true,
      retweet_count: await change('retweets', tweetId, userId, 1, (row, tweet) =>
        createEvent('retweet.created', 1, tweetId, { ...common(tweetId, userId, row, tweet), retweet_count: tweet.count, retweet_id: row.id! })),
    }),
    unretweet: async (userId: string, tweetId: string) => ({
      retweeted: false,
      retweet_count: await change('retweets', tweetId, userId, -1, (row, tweet) =>
        createEvent('retweet.deleted', 1, tweetId, { ...common(tweetId, userId, row, tweet), retweet_count: tweet.count, retweet_id: row.id! })),
    }),
  }
}
export type EngagementService = ReturnType<typeof createEngagementService>
