import { mediaOfTweet, type EventEnvelope } from '@starling/shared/events'
import type { TweetCountRepository } from './tweet-count.repository.ts'
import type { TweetSearchRepository } from './tweet-search.repository.ts'

/*
 * A tweet's creation and deletion share one version line: the event time in ms, doubled, and odd
 * for the deletion. A deletion thus outranks its tweet's creation even within the same millisecond,
 * and the tombstone it leaves keeps every later copy of tweet.created out.
 */
export const creationVersion = (createdAt: string) => Date.parse(createdAt) * 2
export const deletionVersion = (deletedAt: string) => Date.parse(deletedAt) * 2 + 1

/**
 * The version of what a like or retweet event changes (the tweet's count, the person's own like or
 * retweet) is the event's `occurred_at`: the tweet service stamps it once the tweet's row is locked
 * for the change, so it follows the order of the changes to that tweet (the payload's `at` is when
 * the like row was written or removed, which concurrent changes can reach in the other order).
 */
export const engagementVersion = (event: EventEnvelope) => Date.parse(event.occurred_at)

/** Keeps the tweets and counts indices in step with tweet, like and retweet events. */
export function createTweetIndexer(deps: { tweets: TweetSearchRepository; counts: TweetCountRepository }) {
  const { tweets, counts } = deps
  return {
    async handle(event: EventEnvelope) {
      switch (event.type) {
        case 'tweet.created': {
          const { tweet_id, author_id, text, hashtags, mentions, conversation_id, reply_to_id, quote_of_id, created_at } = event.payload
          await tweets.save(
            { tweet_id, author_id, text, hashtags, mentions, media: mediaOfTweet(event.payload), conversation_id, reply_to_id, quote_of_id, created_at, deleted: false },
            creationVersion(created_at),
          )
          return
        }
        case 'tweet.deleted': {
          const { tweet_id, author_id, conversation_id, deleted_at } = event.payload
          await tweets.save({ tweet_id, author_id, conversation_id, deleted: true, deleted_at }, deletionVersion(deleted_at))
          return
        }
        case 'like.created':
        case 'like.deleted':
          await counts.save({ tweet_id: event.payload.tweet_id, kind: 'like', count: event.payload.like_count }, engagementVersion(event))
          return
        case 'retweet.created':
        case 'retweet.deleted':
          await counts.save({ tweet_id: event.payload.tweet_id, kind: 'retweet', count: event.payload.retweet_count }, engagementVersion(event))
          return
      }
    },
  }
}
