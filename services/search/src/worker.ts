import { setTimeout as sleep } from 'node:timers/promises'
import type { Client } from '@elastic/elasticsearch'
import { csv } from '@starling/shared/config'
import { isTransientError, topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import type { Logger } from 'pino'
import { Histogram, type Registry } from 'prom-client'
import type { SearchConfig } from './config.ts'
import { ensureIndices, indexSpecs } from './indices.ts'
import { createBulkWriter } from './indexing/bulk-writer.ts'
import { createRelationIndexer } from './relations/relation-indexer.ts'
import { createRepositories } from './repositories.ts'
import { createTweetIndexer } from './tweets/tweet-indexer.ts'
import { createUserIndexer } from './users/user-indexer.ts'

/**
 * Follows users, graph, tweets and engagements into Elasticsearch. Partitions are indexed
 * concurrently and their writes share bulk requests; an offset is committed only once the bulk
 * holding its document succeeded.
 */
export function createSearchWorker(deps: { config: SearchConfig; client: Client; logger: Logger; metrics?: Registry }) {
  const { config, client, logger } = deps
  const indices = indexSpecs(config.SEARCH_INDEX_PREFIX)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: 'search-service', logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) })
  const batchSize = deps.metrics && new Histogram({
    name: 'search_bulk_actions',
    help: 'Documents per bulk request the indexer sent.',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [deps.metrics],
  })
  const indexLag = deps.metrics && new Histogram({
    name: 'search_index_lag_seconds',
    help: 'From a tweet being created to its document being written; it is searchable after the next refresh (at most 1 s later).',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [deps.metrics],
  })
  const writer = createBulkWriter({ client, maxActions: config.SEARCH_BULK_MAX_ACTIONS, ...(batchSize ? { batchSize } : {}) })
  const repositories = createRepositories(client, indices, writer)
  const indexers = [
    createUserIndexer(repositories.users),
    createTweetIndexer(repositories),
    createRelationIndexer(repositories.relations),
  ]
  let stopped = false

  /** Waits for Elasticsearch when it is not there yet, as the consumers do. */
  async function ensureIndicesWhenReachable() {
    for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
      try {
        return await ensureIndices(client, indices, logger)
      } catch (error) {
        if (!isTransientError(error) || stopped) throw error
        logger.warn({ err: error }, 'Elasticsearch unreachable; creating the indices once it is back')
        await sleep(wait)
      }
    }
  }

  return {
    async start() {
      await ensureIndicesWhenReachable()
      await bus.subscribe({
        group: 'search-indexer',
        topics: [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name],
        handle: async (event) => {
          await Promise.all(indexers.map((indexer) => indexer.handle(event)))
          if (event.type === 'tweet.created') indexLag?.observe((Date.now() - Date.parse(event.payload.created_at)) / 1000)
        },
        // Every write is versioned, so a batch can go at once and share bulk requests.
        order: 'none',
        concurrency: config.SEARCH_INDEXER_CONCURRENCY,
      })
    },
    stop: async () => {
      stopped = true
      await bus.close()
    },
  }
}
