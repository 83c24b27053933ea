import type { estypes } from '@elastic/elasticsearch'
import { invalidQuery, queryTerms } from '../search/query-text.ts'

/** What a tweet search asks for, read from `q`. */
export interface TweetQuery {
  /** The plain words, for full-text matching; empty when the query is only operators. */
  text: string
  /** `#tag` terms, lower-cased without the #: every one must be among the tweet's hashtags. */
  hashtags: string[]
  /** `from:username`, lower-cased: only that author's tweets. */
  from: string | null
}

const FROM = /^from:@?(.*)$/i
const USERNAME = /^[A-Za-z0-9_]{1,30}$/
// As the tweet service extracts them: letters, marks, digits and _, not digits alone, at most 50.
const HASHTAG = /^#([\p{L}\p{M}\p{N}_]{1,50})$/u
const HAS_NON_DIGIT = /[^\p{N}]/u

export function parseTweetQuery(q: string): TweetQuery {
  const words: string[] = []
  const hashtags = new Set<string>()
  let from: string | null = null
  for (const term of queryTerms(q)) {
    const author = FROM.exec(term)?.[1]
    if (author !== undefined) {
      if (!USERNAME.test(author)) throw invalidQuery('SEARCH_QUERY_INVALID', 'from: takes a username, as in from:ada.')
      if (from !== null && from !== author.toLowerCase()) throw invalidQuery('SEARCH_QUERY_INVALID', 'A query has at most one from:.')
      from = author.toLowerCase()
      continue
    }
    const tag = HASHTAG.exec(term)?.[1]
    if (tag !== undefined && HAS_NON_DIGIT.test(tag)) {
      hashtags.add(tag.toLowerCase())
      continue
    }
    words.push(term)
  }
  return { text: words.join(' '), hashtags: [...hashtags], from }
}

/**
 * How fast relevance fades with age: a day-old tweet needs twice the text score of a new one to
 * rank above it. https://www.elastic.co/guide/en/elasticsearch/reference/8.19/query-dsl-function-score-query.html#function-decay
 */
export const RECENCY_DECAY = { scale: '1d', decay: 0.5 }

// Up to three words must all match; longer queries need three quarters of them.
const MINIMUM_SHOULD_MATCH = '3<75%'

export interface TweetSearchOptions {
  query: TweetQuery
  /** The id `from:` named, resolved by the caller. */
  authorId: string | null
  /** Authors the searcher must not see (blocks both ways, mutes). */
  hiddenAuthorIds: string[]
  /** Who searches (null when signed out): their searches all ask the same shard copies. */
  viewerId: string | null
  /** Epoch ms recency is measured from. Kept in the cursor so every page scores alike. */
  origin: number
  size: number
  /** [score, tweet_id] of the last hit of the previous page. */
  after?: [number, string]
  highlight: boolean
}

/** The search request body for tweets: full-text relevance times a recency decay, newest first on ties. */
export function buildTweetSearch(options: TweetSearchOptions): Omit<estypes.SearchRequest, 'index'> {
  const { query, authorId, hiddenAuthorIds } = options
  const filter: estypes.QueryDslQueryContainer[] = [
    { term: { deleted: false } },
    ...query.hashtags.map((tag) => ({ term: { hashtags: tag } })),
    ...(authorId ? [{ term: { author_id: authorId } }] : []),
  ]
  const must: estypes.QueryDslQueryContainer[] = query.text
    ? [{ match: { text: { query: query.text, minimum_should_match: MINIMUM_SHOULD_MATCH } } }]
    : [{ match_all: {} }]
  // The words in their order score higher than the same words apart.
  const should: estypes.QueryDslQueryContainer[] = query.text.includes(' ') ? [{ match_phrase: { text: { query: query.text, boost: 2 } } }] : []
  const mustNot: estypes.QueryDslQueryContainer[] = hiddenAuthorIds.length > 0 ? [{ terms: { author_id: hiddenAuthorIds } }] : []
  const highlighted = [query.text, ...query.hashtags].filter(Boolean).join(' ')
  return {
    size: options.size,
    // Every page of one search asks the same copy of each shard: a primary and its replica score
    // a little apart (their deleted documents differ) and refresh at their own moments, and a
    // cursor from one would skip or repeat hits on the other. A signed-in searcher's searches all
    // ask the same copies, so a tweet they have found once does not vanish from the next page or
    // search while the other copy refreshes (Elasticsearch's "bouncing results").
    preference: options.viewerId ? `viewer-${options.viewerId}` : `page-${options.origin}`,
    query: {
      function_score: {
        query: { bool: { must, should, filter, must_not: mustNot } },
        functions: [{ exp: { created_at: { origin: new Date(options.origin).toISOString(), ...RECENCY_DECAY } } }],
        boost_mode: 'multiply',
      },
    },
    sort: [{ _score: { order: 'desc' } }, { tweet_id: { order: 'desc' } }],
    ...(options.after ? { search_after: options.after } : {}),
    track_total_hits: false,
    ...(options.highlight && highlighted ? {
      highlight: {
        // html: the tweet text is escaped, so only the <em> marks are markup.
        encoder: 'html' as const,
        pre_tags: ['<em>'],
        post_tags: ['</em>'],
        fields: { text: { number_of_fragments: 0 } },
        // #tags match the words of the text too ("#rust" is the word "rust" there).
        highlight_query: { match: { text: highlighted } },
      },
    } : {}),
  }
}

/** The text as Elasticsearch's html highlight encoder escapes it, for hits with nothing highlighted. */
export function escapeHtml(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '/': '&#x2F;' }
  return text.replace(/[&<>"'/]/g, (c) => entities[c]!)
}
