import type { EventEnvelope } from '@starling/shared/events'
import { Histogram, type Registry } from 'prom-client'
import { INDEXED_TOPICS } from '../config.ts'
import { createRelationIndexer } from '../relations/relation-indexer.ts'
import type { Repositories } from '../repositories.ts'
import { createTweetIndexer } from '../tweets/tweet-indexer.ts'
import { createUserIndexer } from '../users/user-indexer.ts'

/**
 * The handler of the search-indexer group: hands each event of users, graph, tweets and
 * engagements to the indexers of what it is about. Every write is versioned, so events may be
 * handled in any order and redelivered without moving a document backwards.
 */
export function createIndexer(repositories: Repositories, options: { metrics?: Registry } = {}) {
  const indexers = [
    createUserIndexer(repositories.users),
    createTweetIndexer(repositories),
    createRelationIndexer(repositories.relations),
  ]
  const indexLag = options.metrics && new Histogram({
    name: 'search_index_lag_seconds',
    help: 'From a tweet being created to its document being written; it is searchable after the next refresh (at most SEARCH_REFRESH_MS later).',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [options.metrics],
  })
  return {
    topics: INDEXED_TOPICS,
    async handle(event: EventEnvelope) {
      await Promise.all(indexers.map((indexer) => indexer.handle(event)))
      if (event.type === 'tweet.created') indexLag?.observe((Date.now() - Date.parse(event.payload.created_at)) / 1000)
    },
  }
}
