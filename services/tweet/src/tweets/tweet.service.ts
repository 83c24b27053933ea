import { createEvent } from '@starling/shared/events'
import { idCursor, pageOf } from '@starling/shared/http'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { UserReplica } from '@starling/shared/replicas'
import { isId, type Tweet } from '@starling/shared/schemas'
import type { EngagementRepository } from '../engagements/engagement.repository.ts'
import { errors } from '../errors.ts'
import { requestHash } from './idempotency.ts'
import type { TweetRepository } from './tweet.repository.ts'
import type { ListQuery, NewTweet } from './tweet.schemas.ts'
import { extractHashtags, extractMentions, tweetText } from './tweet-text.ts'

/** The reader's state of a tweet they neither like nor have retweeted. */
const NOT_ENGAGED = Object.freeze({ liked: false, retweeted: false })

export const tweetNotFound = (id: string) => errors.TWT_NOT_FOUND(`No tweet has id ${id}.`)
const replyTargetMissing = (id: string) => errors.TWT_REPLY_TARGET_MISSING(`There is no tweet ${id} to reply to.`, { errors: [{ field: 'reply_to_id', message: 'no such tweet' }] })
const quoteTargetMissing = (id: string) => errors.TWT_QUOTE_TARGET_MISSING(`There is no tweet ${id} to quote.`, { errors: [{ field: 'quote_of_id', message: 'no such tweet' }] })

/**
 * Posting, reading and deleting tweets. Each change commits with its event (tweet.created,
 * tweet.deleted), keyed by the conversation so that a thread stays in order on its partition.
 * `users` is the replica of the accounts: authors and mentioned names are checked against it.
 * A read by a signed-in reader (`viewerId`) carries the reader's own like and retweet of each tweet
 * (`viewer`), read from `engagements` in one query per page; an anonymous read has no `viewer`.
 */
export function createTweetService(deps: {
  uow: UnitOfWork<{ tweets: TweetRepository }>
  tweets: TweetRepository
  engagements: Pick<EngagementRepository, 'viewerStates'>
  users: Pick<UserReplica, 'exists' | 'findByUsernames'>
}) {
  const { uow, tweets, engagements, users } = deps

  const afterTweet = (last: { id: string }) => idCursor.encode([last.id])
  const pageWindow = (query: ListQuery) => ({ limit: query.limit + 1, ...(query.cursor ? { after: idCursor.decode(query.cursor)[0] } : {}) })

  /** The tweets as `viewerId` reads them: with `viewer` when there is a reader, unchanged without one. */
  async function seenBy(viewerId: string | null, page: Tweet[]): Promise<Tweet[]> {
    if (viewerId === null || page.length === 0) return page
    const states = await engagements.viewerStates(viewerId, page.map((tweet) => tweet.id))
    return page.map((tweet) => ({ ...tweet, viewer: states.get(tweet.id) ?? NOT_ENGAGED }))
  }
  const oneSeenBy = async (viewerId: string | null, tweet: Tweet) => (await seenBy(viewerId, [tweet]))[0]!
  const pageSeenBy = async (viewerId: string | null, page: { items: Tweet[]; next_cursor: string | null }) =>
    ({ ...page, items: await seenBy(viewerId, page.items) })

  return {
    /**
     * With an Idempotency-Key, a retry of the same body returns the tweet the first request made
     * (even while that request is still committing) and posts nothing. The tweet carries the
     * author's own state of it (`viewer`).
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

      const { tweet, replayed } = await uow.run(async ({ tweets }, events) => {
        // A key's claim names the tweet it will make, so only then is the id drawn before the insert.
        const id = idempotencyKey ? await tweets.nextId() : undefined
        if (idempotencyKey && id) {
          const hash = requestHash(input)
          const earlier = await tweets.claimIdempotencyKey({ userId: authorId, key: idempotencyKey, requestHash: hash, tweetId: id })
          if (earlier) {
            if (earlier.request_hash !== hash) {
              throw errors.TWT_IDEMPOTENCY_MISMATCH('This Idempotency-Key was used for a different request; use a new key for a new tweet.')
            }
            // The tweet it made may have been deleted since: then there is nothing to return.
            const made = await tweets.findById(earlier.tweet_id)
            if (!made) throw tweetNotFound(earlier.tweet_id)
            return { tweet: made, replayed: true }
          }
        }
        const parent = replyToId === null ? undefined : await tweets.addReply(replyToId)
        if (replyToId !== null && !parent) throw replyTargetMissing(replyToId)
        const quoted = quoteOfId === null ? undefined : await tweets.findRef(quoteOfId)
        if (quoteOfId !== null && !quoted) throw quoteTargetMissing(quoteOfId)

        const tweet = await tweets.insert({
          ...(id ? { id } : {}), authorId, text, ...(parent ? { conversationId: parent.conversation_id } : {}), replyToId, quoteOfId, mentions, hashtags,
        })
        events.publish(createEvent('tweet.created', 1, tweet.conversation_id, {
          tweet_id: tweet.id,
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
        return { tweet, replayed: false }
      })
      // Nobody can have liked or retweeted a tweet before it committed; the one a retry answers with, by now, may have been.
      return replayed ? oneSeenBy(authorId, tweet) : { ...tweet, viewer: NOT_ENGAGED }
    },

    async get(id: string, viewerId: string | null = null): Promise<Tweet> {
      const tweet = isId(id) ? await tweets.findById(id) : undefined
      if (!tweet) throw tweetNotFound(id)
      return oneSeenBy(viewerId, tweet)
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

    async replies(id: string, query: ListQuery, viewerId: string | null = null) {
      const window = pageWindow(query)
      if (!isId(id) || !(await tweets.findById(id))) throw tweetNotFound(id)
      return pageSeenBy(viewerId, pageOf(await tweets.listReplies(id, window), query.limit, afterTweet))
    },

    async byAuthor(userId: string, query: ListQuery, viewerId: string | null = null) {
      const window = pageWindow(query)
      if (!(await users.exists(userId))) throw errors.TWT_USER_NOT_FOUND(`No user has id ${userId}.`)
      return pageSeenBy(viewerId, pageOf(await tweets.listByAuthor(userId, window), query.limit, afterTweet))
    },
  }
}
export type TweetService = ReturnType<typeof createTweetService>
