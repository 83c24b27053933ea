import type { Client, estypes } from '@elastic/elasticsearch'
import type { IndexSpec } from '../indices.ts'
import type { BulkWriter } from '../indexing/bulk-writer.ts'
import { buildTweetSearch, type TweetSearchOptions } from './tweet-query.ts'
import type { TweetDocument, TweetTombstone } from './tweet-search.schemas.ts'

export interface TweetSearchHit {
  document: TweetDocument
  highlight: string | undefined
  sort: [number, string]
}

export function createTweetSearchRepository(client: Client, writer: BulkWriter, index: IndexSpec) {
  return {
    /** A live tweet or its tombstone, under the tweet's id; the higher version wins (bulk-writer.ts). */
    save: (document: TweetDocument | TweetTombstone, version: number) =>
      writer.write({ index: index.writeAlias, id: document.tweet_id, document, version }),

    /** Live tweets matching the query, most relevant first (tweet-query.ts), with their sort values for the next page. */
    async search(options: TweetSearchOptions): Promise<TweetSearchHit[]> {
      const result = await client.search<TweetDocument>({ index: index.alias, ...buildTweetSearch(options) })
      return result.hits.hits.map((hit) => ({
        document: hit._source!,
        highlight: hit.highlight?.text?.[0],
        sort: hit.sort as [number, string],
      }))
    },

    /** Live replies to each of `tweetIds`, counted now: exact, and a deleted reply stops counting. */
    async replyCounts(tweetIds: string[]): Promise<Map<string, number>> {
      if (tweetIds.length === 0) return new Map()
      const result = await client.search<unknown, Record<'replies', estypes.AggregationsStringTermsAggregate>>({
        index: index.alias,
        size: 0,
        query: { bool: { filter: [{ term: { deleted: false } }, { terms: { reply_to_id: tweetIds } }] } },
        aggs: { replies: { terms: { field: 'reply_to_id', size: tweetIds.length } } },
      })
      const buckets = result.aggregations?.replies.buckets as estypes.AggregationsStringTermsBucket[]
      return new Map(buckets.map((bucket) => [String(bucket.key), bucket.doc_count]))
    },
  }
}
export type TweetSearchRepository = ReturnType<typeof createTweetSearchRepository>
