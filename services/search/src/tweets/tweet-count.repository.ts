import type { Client } from '@elastic/elasticsearch'
import type { IndexSpec } from '../indices.ts'
import type { BulkWriter } from '../indexing/bulk-writer.ts'
import type { CountDocument, CountKind } from './tweet-search.schemas.ts'

const countId = (tweetId: string, kind: CountKind) => `${tweetId}:${kind}`

/** Like and retweet counts, one document per tweet and kind, each versioned by its own events. */
export function createTweetCountRepository(client: Client, writer: BulkWriter, index: IndexSpec) {
  return {
    save: (document: CountDocument, version: number) =>
      writer.write({ index: index.writeAlias, id: countId(document.tweet_id, document.kind), document, version }),

    /** The counts of each tweet; 0 for a tweet nobody liked or retweeted yet. */
    async of(tweetIds: string[]): Promise<Map<string, Record<CountKind, number>>> {
      const counts = new Map(tweetIds.map((id) => [id, { like: 0, retweet: 0 }]))
      if (tweetIds.length === 0) return counts
      const result = await client.mget<CountDocument>({
        index: index.alias,
        ids: tweetIds.flatMap((id) => [countId(id, 'like'), countId(id, 'retweet')]),
      })
      for (const doc of result.docs) {
        if (!('found' in doc) || !doc.found || !doc._source) continue
        const entry = counts.get(doc._source.tweet_id)
        if (entry) entry[doc._source.kind] = doc._source.count
      }
      return counts
    },
  }
}
export type TweetCountRepository = ReturnType<typeof createTweetCountRepository>
