import { isTransientError } from '@starling/shared/events'
import { CursorPart, cursorCodec, pageOf } from '@starling/shared/http'
import Type from 'typebox'
import { errors } from '../errors.ts'
import { MAX_HASHTAG_RESULTS, parseHashtagPrefix } from '../hashtags/hashtag-query.ts'
import type { HashtagSearchRepository } from '../hashtags/hashtag-search.repository.ts'
import type { RelationRepository } from '../relations/relation.repository.ts'
import type { TweetCountRepository } from '../tweets/tweet-count.repository.ts'
import { escapeHtml, parseTweetQuery } from '../tweets/tweet-query.ts'
import type { TweetSearchRepository } from '../tweets/tweet-search.repository.ts'
import type { TweetHit } from '../tweets/tweet-search.schemas.ts'
import type { UserSearchRepository } from '../users/user-search.repository.ts'
import { queryTerms } from './query-text.ts'
import type { SearchQuery } from './search.schemas.ts'

const RETRY_AFTER_SECONDS = 5
/** [origin, score, tweet_id]: the recency origin of the first page, and the last hit's sort values. */
const tweetCursor = cursorCodec(Type.Tuple([CursorPart.count(), CursorPart.number, CursorPart.id]))
/** [score, user_id]: the last hit's sort values. */
const userCursor = cursorCodec(Type.Tuple([CursorPart.number, CursorPart.id]))
/** [offset]: where the next page of the (bounded) hashtag list starts. */
const hashtagCursor = cursorCodec(Type.Tuple([CursorPart.count(MAX_HASHTAG_RESULTS - 1)]))

const empty = { items: [], next_cursor: null }

export function createSearchService(deps: {
  users: UserSearchRepository
  tweets: TweetSearchRepository
  counts: TweetCountRepository
  hashtags: HashtagSearchRepository
  relations: RelationRepository
  now?: () => number
}) {
  const { users, tweets, counts, hashtags, relations, now = Date.now } = deps

  /** Elasticsearch being away (or its indices not made yet) is a 503 with Retry-After, not a 500. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type
      if (isTransientError(error) || type === 'index_not_found_exception') {
        throw errors.SEARCH_UNAVAILABLE('Search is temporarily unavailable.', { retryAfterSeconds: RETRY_AFTER_SECONDS, cause: error })
      }
      throw error
    }
  }

  const hiddenFrom = async (viewerId: string | null) => (viewerId ? relations.hiddenFrom(viewerId) : [])

  async function searchTweets(query: SearchQuery, viewerId: string | null) {
    const parsed = parseTweetQuery(query.q)
    const position = query.cursor ? tweetCursor.decode(query.cursor) : undefined
    const cursor = position ? { origin: position[0], after: [position[1], position[2]] as [number, string] } : undefined
    // Now, not rounded: the decay is symmetric, so an origin before the newest tweets would rank them lower.
    const origin = cursor?.origin ?? now()
    const [authorId, hiddenAuthorIds] = await Promise.all([parsed.from ? users.idOf(parsed.from) : null, hiddenFrom(viewerId)])
    if (parsed.from && !authorId) return empty

    const hits = await tweets.search({
      query: parsed, authorId: authorId ?? null, hiddenAuthorIds, viewerId, origin, size: query.limit + 1, highlight: query.highlight,
      ...(cursor ? { after: cursor.after } : {}),
    })
    const { items: shown, next_cursor } = pageOf(hits, query.limit, (last) => tweetCursor.encode([origin, ...last.sort]))
    const ids = shown.map((hit) => hit.document.tweet_id)
    const [authors, tweetCounts, replies, viewer] = await Promise.all([
      users.byIds([...new Set(shown.map((hit) => hit.document.author_id))]),
      counts.of(ids),
      tweets.replyCounts(ids),
      // The reader's own like and retweet of each tweet: only with a token, one query for the page.
      viewerId ? relations.engagementsOf(viewerId, ids) : undefined,
    ])
    const items = shown.map(({ document: t, highlight }): TweetHit => ({
      id: t.tweet_id,
      text: t.text,
      created_at: t.created_at,
      // An author not indexed yet (their events lag behind) still gets an id.
      author: authors.get(t.author_id) ?? { id: t.author_id, username: '', display_name: '', avatar_url: null },
      conversation_id: t.conversation_id,
      reply_to_id: t.reply_to_id,
      quote_of_id: t.quote_of_id,
      mentions: t.mentions,
      hashtags: t.hashtags,
      media: t.media ?? [],
      like_count: tweetCounts.get(t.tweet_id)?.like ?? 0,
      retweet_count: tweetCounts.get(t.tweet_id)?.retweet ?? 0,
      reply_count: replies.get(t.tweet_id) ?? 0,
      ...(viewer ? { viewer: viewer.get(t.tweet_id) ?? { liked: false, retweeted: false } } : {}),
      ...(query.highlight ? { highlight: highlight ?? escapeHtml(t.text) } : {}),
    }))
    return { items, next_cursor }
  }

  async function searchUsers(query: SearchQuery, viewerId: string | null) {
    queryTerms(query.q)
    const after = query.cursor ? userCursor.decode(query.cursor) : undefined
    const hits = await users.search(query.q.trim(), { size: query.limit + 1, hiddenIds: await hiddenFrom(viewerId), ...(after ? { after } : {}) })
    const { items, next_cursor } = pageOf(hits, query.limit, (last) => userCursor.encode(last.sort))
    return { items: items.map((hit) => hit.user), next_cursor }
  }

  async function searchHashtags(query: SearchQuery) {
    const prefix = parseHashtagPrefix(query.q)
    const offset = query.cursor ? hashtagCursor.decode(query.cursor)[0] : 0
    const size = Math.min(offset + query.limit + 1, MAX_HASHTAG_RESULTS)
    const top = await hashtags.top(prefix, size)
    const end = offset + query.limit
    return pageOf(top.slice(offset), query.limit, () => hashtagCursor.encode([end]))
  }

  return {
    /**
     * One page of `query.type` results for `q`, as `viewerId` (null without a token) may see them;
     * with a viewer, each tweet carries `viewer`: whether they like it and have retweeted it.
     */
    search(query: SearchQuery, viewerId: string | null) {
      return guarded(async () => {
        switch (query.type) {
          case 'users': return searchUsers(query, viewerId)
          case 'hashtags': return searchHashtags(query)
          default: return searchTweets(query, viewerId)
        }
      })
    },
  }
}
export type SearchService = ReturnType<typeof createSearchService>
