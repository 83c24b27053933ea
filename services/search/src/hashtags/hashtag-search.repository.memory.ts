import { byKeyword } from '../indexing/versioned-documents.memory.ts'
import type { TweetDocument } from '../tweets/tweet-search.schemas.ts'
import type { HashtagSearchRepository } from './hashtag-search.repository.ts'

/** Hashtags counted from the live tweets in memory, as the real one counts them from the tweets index. */
export function createMemoryHashtagSearchRepository(tweets: { live(): TweetDocument[] }): HashtagSearchRepository {
  return {
    async top(prefix, size) {
      const counts = new Map<string, number>()
      for (const tweet of tweets.live()) {
        for (const tag of new Set(tweet.hashtags)) if (tag.startsWith(prefix)) counts.set(tag, (counts.get(tag) ?? 0) + 1)
      }
      return [...counts]
        .map(([tag, count]) => ({ tag, count }))
        .sort((a, b) => b.count - a.count || byKeyword(a.tag, b.tag))
        .slice(0, size)
    },
  }
}
