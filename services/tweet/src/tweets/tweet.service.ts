import { createEvent } from '@starling/shared/events'
import { idCursor, pageOf } from '@starling/shared/http'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { UserReplica } from '@starling/shared/replicas'
import { isId, type Tweet } from '@starling/shared/schemas'
import { errors } from '../errors.ts'
import { requestHash } from './idempotency.ts'
import type { TweetRepository } from './tweet.repository.ts'
import type { ListQuery, NewTweet } from './tweet.schemas.ts'
import { extractHashtags, extractMentions, tweetText } from './tweet-text.ts'

export const tweetNotFound = (id: string) => errors.TWT_NOT_FOUND(`No tweet has id ${id}.`)
const replyTargetMissing = (id: string) => errors.TWT_REPLY_TARGET_MISSING(`There is no tweet ${id} to reply to.`, { errors: [{ field: 'reply_to_id', message: 'no such tweet' }] })
const quoteTargetMissing = (id: string) => errors.TWT_QUOTE_TARGET_MISSING(`There is no tweet ${id} to quote.`, { errors: [{ field: 'quote_of_id', message: 'no such tweet' }] })

/**
 * Posting, reading and deleting tweets. Each change commits with its event (tweet.created,
 * tweet.deleted), keyed by the conversation so that a thread stays in order on its partition.
 * `users` is the replica of the accounts: authors and mentioned names are checked against it.
 */
export function createTweetService(deps: {
  uow: UnitOfWork<{ tweets: TweetRepository }>
  tweets: TweetRepository
  users: Pick<UserReplica, 'exists' | 'findByUsernames'>
}) {
  const { uow, tweets, users } = deps

  const afterTweet = (last: { id: string }) => idCursor.encode([last.id])
  const pageWindow = (query: ListQuery) => ({ limit: query.limit + 1, ...(query.cursor ? { after: idCursor.decode(query.cursor)[0] } : {}) })

  return {
    /**
     * With an Idempotency-Key, a retry of the same body returns the tweet the first request made
     * (even while that request is still committing) and posts nothing.
     */
    async post(authorId: string, input: NewTweet, idempotencyKey?: string): Promise<Tweet> {
      const text = tweetText(input.text)
      const replyToId = input.reply_to_id ?? null
      const quoteOfId = input.quote_of_id ?? null
      if (replyToId !== null && !isId(replyToId)) throw replyTargetMissing(replyToId)
      if (quoteOfId !== null && !isId(quoteOfId)) throw quoteTargetMissing(quoteOfId)
      // The author must be in the replica, where lists read names from.
      if (!(await users.exists(authorId))) throw errors.TWT_AUTHOR_UNKNOWN('The account this token belongs to does not exist.')
      const mentions = (await users.findByUsernames(extractMentions(text))).map(({ id, username }) => ({ user_id: id, username }))
      const hashtags = extractHashtags(text)

      return uow.run(async ({ tweets }, events) => {
        const id = await tweets.nextId()
        if (idempotencyKey) {
          const hash = requestHash(input)
          const earlier = await tweets.claimIdempotencyKey({ userId: authorId, key: idempotencyKey, requestHash: hash, tweetId: id })
          if (earlier) {
            if (earlier.request_hash !== hash) {
              throw errors.TWT_IDEMPOTENCY_MISMATCH('This Idempotency-Key was used for a different request; use a new key for a new tweet.')
            }
            // The tweet it made may have been deleted since: then there is nothing to return.
            return (await tweets.findById(earlier.tweet_id)) ?? Promise.reject(tweetNotFound(earlier.tweet_id))
          }
        }
        const parent = replyToId === null ? undefined : await tweets.addReply(replyToId)
        if (replyToId !== null && !parent) throw replyTargetMissing(replyToId)
        const quoted = quoteOfId === null ? undefined : await tweets.findRef(quoteOfId)
        if (quoteOfId !== null && !quoted) throw quoteTargetMissing(quoteOfId)

        const tweet = await tweets.insert({
          id, authorId, text, conversationId: parent?.conversation_id ?? id, replyToId, quoteOfId, mentions, hashtags,
        })
        events.publish(createEvent('tweet.created', 1, tweet.conversation_id, {
          tweet_id: id,
          author_id: authorId,
          text,
          conversation_id: tweet.conversation_id,
          reply_to_id: replyToId,
          reply_to_author_id: parent?.author_id ?? null,
          quote_of_id: quoteOfId,
          quote_of_author_id: quoted?.author_id ?? null,
          mentions,
          hashtags,
          created_at: tweet.created_at,
        }))
        return tweet
      })
    },

    async get(id: string): Promise<Tweet> {
      return (isId(id) ? await tweets.findById(id) : undefined) ?? Promise.reject(tweetNotFound(id))
    },

    /** Soft delete, by the author only; a deleted reply no longer counts on its parent. */
    async delete(userId: string, id: string) {
      if (!isId(id)) throw tweetNotFound(id)
      await uow.run(async ({ tweets }, events) => {
        const tweet = await tweets.lockRef(id)
        if (!tweet) throw tweetNotFound(id)
        if (tweet.author_id !== userId) throw errors.TWT_NOT_AUTHOR('Only the author can delete a tweet.')
        const deletedAt = await tweets.markDeleted(id)
        if (tweet.reply_to_id !== null) await tweets.removeReply(tweet.reply_to_id)
        events.publish(createEvent('tweet.deleted', 1, tweet.conversation_id, {
          tweet_id: id, author_id: userId, conversation_id: tweet.conversation_id, deleted_at: deletedAt.toISOString(),
        }))
      })
    },

    async replies(id: string, query: ListQuery) {
      const window = pageWindow(query)
      if (!isId(id) || !(await tweets.findById(id))) throw tweetNotFound(id)
      return pageOf(await tweets.listReplies(id, window), query.limit, afterTweet)
    },

    async byAuthor(userId: string, query: ListQuery) {
      const window = pageWindow(query)
      if (!(await users.exists(userId))) throw errors.TWT_USER_NOT_FOUND(`No user has id ${userId}.`)
      return pageOf(await tweets.listByAuthor(userId, window), query.limit, afterTweet)
    },
  }
}
export type TweetService = ReturnType<typeof createTweetService>
