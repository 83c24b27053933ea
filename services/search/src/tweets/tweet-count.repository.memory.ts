import { createVersionedDocuments } from '../indexing/versioned-documents.memory.ts'
import type { TweetCountRepository } from './tweet-count.repository.ts'
import type { CountDocument } from './tweet-search.schemas.ts'

/** The counts index in memory, for unit tests: one document per tweet and kind, versioned alike. */
export function createMemoryTweetCountRepository(): TweetCountRepository {
  const index = createVersionedDocuments<CountDocument>()
  return {
    save: (document, version) => index.save(`${document.tweet_id}:${document.kind}`, document, version),
    async of(tweetIds) {
      return new Map(tweetIds.map((id) => [id, { like: index.get(`${id}:like`)?.count ?? 0, retweet: index.get(`${id}:retweet`)?.count ?? 0 }]))
    },
  }
}
