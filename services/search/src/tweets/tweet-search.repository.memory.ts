import { byKeyword, createVersionedDocuments } from '../indexing/versioned-documents.memory.ts'
import { RECENCY_DECAY, type TweetSearchOptions } from './tweet-query.ts'
import type { TweetSearchHit, TweetSearchRepository } from './tweet-search.repository.ts'
import type { TweetDocument, TweetTombstone } from './tweet-search.schemas.ts'

const DAY_MS = 86_400_000
const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{M}\p{N}_]+/u).filter(Boolean)

/**
 * The tweets index in memory, for unit tests of the rules. Matching is simpler than
 * Elasticsearch's (every word of the query must be a word of the tweet; a score of matched words,
 * one more for the words in order, times the same recency decay), the order and paging are the
 * same: score, then tweet_id, both descending, continued after the last hit's [score, tweet_id].
 */
export function createMemoryTweetSearchRepository() {
  const index = createVersionedDocuments<TweetDocument | TweetTombstone>()
  const live = () => index.all().filter((tweet): tweet is TweetDocument => !tweet.deleted)

  function score(tweet: TweetDocument, options: TweetSearchOptions): number | undefined {
    const wanted = words(options.query.text)
    const have = new Set(words(tweet.text))
    if (!wanted.every((word) => have.has(word))) return undefined
    const relevance = wanted.length === 0 ? 1 : wanted.length + (words(tweet.text).join(' ').includes(wanted.join(' ')) && wanted.length > 1 ? 1 : 0)
    return relevance * RECENCY_DECAY.decay ** (Math.abs(options.origin - Date.parse(tweet.created_at)) / DAY_MS)
  }

  const repository: TweetSearchRepository = {
    save: (document, version) => index.save(document.tweet_id, document, version),

    async search(options) {
      const hits: TweetSearchHit[] = []
      for (const tweet of live()) {
        if (!options.query.hashtags.every((tag) => tweet.hashtags.includes(tag))) continue
        if (options.authorId && tweet.author_id !== options.authorId) continue
        if (options.hiddenAuthorIds.includes(tweet.author_id)) continue
        const value = score(tweet, options)
        if (value !== undefined) hits.push({ document: tweet, highlight: undefined, sort: [value, tweet.tweet_id] })
      }
      const after = options.after
      return hits
        .sort((a, b) => b.sort[0] - a.sort[0] || byKeyword(b.sort[1], a.sort[1]))
        .filter((hit) => !after || hit.sort[0] < after[0] || (hit.sort[0] === after[0] && hit.sort[1] < after[1]))
        .slice(0, options.size)
    },

    async replyCounts(tweetIds) {
      const counts = new Map<string, number>()
      for (const tweet of live()) {
        if (tweet.reply_to_id && tweetIds.includes(tweet.reply_to_id)) counts.set(tweet.reply_to_id, (counts.get(tweet.reply_to_id) ?? 0) + 1)
      }
      return counts
    },
  }
  return { ...repository, live }
}
