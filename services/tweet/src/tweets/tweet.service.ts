import { createEvent } from '@starling/shared/events'
import { idCursor, pageOf } from '@starling/shared/http'
import type { UnitOfWork } from '@starling/shared/outbox'
import { unusable, type UserReplica } from '@starling/shared/replicas'
import { isId, type MediaAttachment, type Tweet } from '@starling/shared/schemas'
import type { EngagementRepository } from '../engagements/engagement.repository.ts'
import { errors } from '../errors.ts'
import type { MediaRepository } from '../media/media.repository.ts'
import { requestHash } from './idempotency.ts'
import type { Lookup, TweetCache, TweetList } from './tweet.cache.ts'
import type { PageWindow, TweetRepository } from './tweet.repository.ts'
import type { ListQuery, NewTweet } from './tweet.schemas.ts'
import { extractHashtags, extractMentions, tweetText } from './tweet-text.ts'

/** The reader's state of a tweet they neither like nor have retweeted. */
const NOT_ENGAGED = Object.freeze({ liked: false, retweeted: false })

export const tweetNotFound = (id: string) => errors.TWT_NOT_FOUND(`No tweet has id ${id}.`)
const replyTargetMissing = (id: string) => errors.TWT_REPLY_TARGET_MISSING(`There is no tweet ${id} to reply to.`, { errors: [{ field: 'reply_to_id', message: 'no such tweet' }] })
const quoteTargetMissing = (id: string) => errors.TWT_QUOTE_TARGET_MISSING(`There is no tweet ${id} to quote.`, { errors: [{ field: 'quote_of_id', message: 'no such tweet' }] })

/** Seconds a client waits before asking again for a picture the media events have not marked ready here yet. */
const MEDIA_RETRY_SECONDS = 1

/**
 * The pictures for a new tweet, in the order given, once each is found to be the author's own,
 * ready and on no other tweet. They stay locked until the tweet commits.
 */
async function attachments(media: Pick<MediaRepository, 'lock'>, authorId: string, ids: string[]): Promise<MediaAttachment[]> {
  if (ids.length === 0) return []
  const rows = new Map((await media.lock(ids)).map((row) => [row.id, row]))
  return ids.map((id) => {
    const details = (message: string) => ({ errors: [{ field: 'media_ids', message: `${id}: ${message}` }] })
    const row = rows.get(id)
    switch (unusable(row, authorId)) {
      case 'missing': throw errors.TWT_MEDIA_NOT_FOUND(`No picture has id ${id}.`, details('no such picture'))
      case 'not_owner': throw errors.TWT_MEDIA_NOT_OWNER(`Picture ${id} is not yours.`, details('not yours'))
      case 'rejected': throw errors.TWT_MEDIA_REJECTED(`Picture ${id} was refused; see GET /media/${id} for why.`, details('refused'))
      case 'pending': throw errors.TWT_MEDIA_NOT_READY(`Picture ${id} is still being processed; try again shortly.`, { ...details('not ready'), retryAfterSeconds: MEDIA_RETRY_SECONDS })
    }
    if (row!.tweet_id !== null) throw errors.TWT_MEDIA_ATTACHED(`Picture ${id} is already on tweet ${row!.tweet_id}.`, details('already on a tweet'))
    return row!.attachment!
  })
}

/**
 * Posting, reading and deleting tweets. Each change commits with its event (tweet.created,
 * tweet.deleted), keyed by the conversation so that a thread stays in order on its partition.
 * `users` is the replica of the accounts: authors and mentioned names are checked against it.
 * A read by a signed-in reader (`viewerId`) carries the reader's own like and retweet of each tweet
 * (`viewer`); an anonymous read has no `viewer`. Reads are answered from `cache` where it holds
 * a current copy (of the tweets, their authors' names, the reader's state and the list's page),
 * and from Postgres for the rest, which then fills the cache.
 */
export function createTweetService(deps: {
  uow: UnitOfWork<{ tweets: TweetRepository; media: Pick<MediaRepository, 'lock' | 'attach'> }>
  tweets: TweetRepository
  engagements: Pick<EngagementRepository, 'viewerStates'>
  users: Pick<UserReplica, 'exists' | 'findByUsernames'>
  cache: Omit<TweetCache, 'changed'>
}) {
  const { uow, tweets, engagements, users, cache } = deps

  const afterTweet = (lastId: string) => idCursor.encode([lastId])
  const pageWindow = (query: ListQuery) => ({ limit: query.limit + 1, ...(query.cursor ? { after: idCursor.decode(query.cursor)[0] } : {}) })

  /** Loads what a lookup missed from `load`, caches it, and returns what was found and loaded together. */
  async function completed<T>(lookup: Lookup<T>, load: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
    if (lookup.missing.length === 0) return lookup.found
    const loaded = await load(lookup.missing)
    await lookup.fill(loaded)
    return new Map([...lookup.found, ...loaded])
  }
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]))

  /** The live ones of these tweets, in the order given, as `viewerId` reads them. */
  async function hydrate(ids: string[], viewerId: string | null): Promise<Tweet[]> {
    if (ids.length === 0) return []
    // Issued together, so the tweets and the reader's state come back in one round trip.
    const [tweetLookup, viewerLookup] = await Promise.all([cache.tweets(ids), viewerId === null ? undefined : cache.viewer(viewerId, ids)])
    const records = await completed(tweetLookup, async (missing) => byId(await tweets.findByIds(missing)))
    const live = ids.filter((id) => records.has(id))
    const [authors, viewer] = await Promise.all([
      cache.authors([...new Set(live.map((id) => records.get(id)!.author_id))])
        .then((lookup) => completed(lookup, async (missing) => byId(await tweets.authors(missing)))),
      viewerLookup && viewerId !== null
        ? completed(viewerLookup, (missing) => engagements.viewerStates(viewerId, missing.filter((id) => records.has(id))))
        : undefined,
    ])
    return live.flatMap((id) => {
      const { author_id: authorId, ...tweet } = records.get(id)!
      const author = authors.get(authorId)
      if (!author) return []
      return [viewer ? { ...tweet, author, viewer: viewer.get(id) ?? NOT_ENGAGED } : { ...tweet, author }]
    })
  }

  /** One page of a list, its ids from the cache or else from `load` (which may refuse, as a list of nobody's). */
  async function listPage(list: TweetList, query: ListQuery, viewerId: string | null, load: (window: PageWindow) => Promise<string[]>) {
    const window = pageWindow(query)
    const page = await cache.page(list, window)
    let ids = page.ids
    if (!ids) {
      ids = await load(window)
      await page.fill(ids)
    }
    // The extra id only says whether a page follows. A tweet deleted since the page was cached moved
    // the list's version, so it is not on a current page.
    const { items, next_cursor } = pageOf(ids, query.limit, afterTweet)
    return { items: await hydrate(items, viewerId), next_cursor }
  }

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

      const mediaIds = input.media_ids ?? []
      const { tweet, replayed } = await uow.run(async ({ tweets, media: uploads }, events) => {
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
        const media = await attachments(uploads, authorId, mediaIds)

        const tweet = await tweets.insert({
          ...(id ? { id } : {}), authorId, text, ...(parent ? { conversationId: parent.conversation_id } : {}), replyToId, quoteOfId, mentions, hashtags, media,
        })
        if (mediaIds.length > 0) await uploads.attach(mediaIds, tweet.id)
        events.publish(createEvent('tweet.created', 2, tweet.conversation_id, {
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
          media,
          created_at: tweet.created_at,
        }))
        return { tweet, replayed: false }
      })
      // Nobody can have liked or retweeted a tweet before it committed; the one a retry answers with, by now, may have been.
      return (replayed && (await hydrate([tweet.id], authorId))[0]) || { ...tweet, viewer: NOT_ENGAGED }
    },

    async get(id: string, viewerId: string | null = null): Promise<Tweet> {
      const [tweet] = isId(id) ? await hydrate([id], viewerId) : []
      if (!tweet) throw tweetNotFound(id)
      return tweet
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
      if (!isId(id)) throw tweetNotFound(id)
      const [parent, page] = await Promise.all([hydrate([id], null), listPage({ repliesTo: id }, query, viewerId, (window) => tweets.replyIds(id, window))])
      if (parent.length === 0) throw tweetNotFound(id)
      return page
    },

    async byAuthor(userId: string, query: ListQuery, viewerId: string | null = null) {
      // A cached page was cut after the author was found to exist, and accounts are never removed.
      return listPage({ author: userId }, query, viewerId, async (window) => {
        if (!(await users.exists(userId))) throw errors.TWT_USER_NOT_FOUND(`No user has id ${userId}.`)
        return tweets.idsByAuthor(userId, window)
      })
    },
  }
}
export type TweetService = ReturnType<typeof createTweetService>
