import type { Client, estypes } from '@elastic/elasticsearch'
import type { IndexSpec } from '../indices.ts'
import { buildHashtagSearch } from './hashtag-query.ts'

export interface HashtagCount {
  tag: string
  count: number
}

/** Hashtags are counted from the tweets index: no copy of their counts to keep in step. */
export function createHashtagSearchRepository(client: Client, tweets: IndexSpec) {
  return {
    /** The `size` most used tags starting with `prefix`. */
    async top(prefix: string, size: number): Promise<HashtagCount[]> {
      const result = await client.search<unknown, Record<'tags', estypes.AggregationsStringTermsAggregate>>({
        index: tweets.alias, ...buildHashtagSearch(prefix, size),
      })
      const buckets = result.aggregations?.tags.buckets as estypes.AggregationsStringTermsBucket[]
      return buckets.map((bucket) => ({ tag: String(bucket.key), count: bucket.doc_count }))
    },
  }
}
export type HashtagSearchRepository = ReturnType<typeof createHashtagSearchRepository>
