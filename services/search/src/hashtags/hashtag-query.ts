import type { estypes } from '@elastic/elasticsearch'
import { invalidQuery, queryTerms } from '../search/query-text.ts'

const TAG_PREFIX = /^#?([\p{L}\p{M}\p{N}_]{1,50})$/u

/** How far down the list of tags pages go (aggregation buckets cannot be paged by key and count). */
export const MAX_HASHTAG_RESULTS = 1000

/** The tag prefix in `q` ("#ru" or "ru"), lower-cased as tags are stored; one term of tag characters. */
export function parseHashtagPrefix(q: string): string {
  const terms = queryTerms(q)
  const prefix = terms.length === 1 ? TAG_PREFIX.exec(terms[0]!)?.[1] : undefined
  if (!prefix) throw invalidQuery('SEARCH_QUERY_INVALID', 'A hashtag search takes the start of one tag: letters, digits or _, as in #ru.')
  return prefix.toLowerCase()
}

/** `text` as a Lucene regular expression matching itself literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.?+*|{}[\]()"\\#@&<>~^$]/g, (c) => `\\${c}`)
}

/**
 * Live tweets with a tag starting with `prefix`, bucketed by those tags: each bucket's count is the
 * number of live tweets using the tag. Most used first, then alphabetical.
 */
export function buildHashtagSearch(prefix: string, size: number): Omit<estypes.SearchRequest, 'index'> {
  return {
    size: 0,
    query: { bool: { filter: [{ term: { deleted: false } }, { prefix: { hashtags: prefix } }] } },
    aggs: {
      tags: {
        terms: {
          field: 'hashtags',
          // A tweet's other tags are in its document too; only the ones with the prefix are answers.
          include: `${escapeRegex(prefix)}.*`,
          size,
          order: [{ _count: 'desc' }, { _key: 'asc' }],
        },
      },
    },
  }
}
