import { Client } from '@elastic/elasticsearch'
import { csv } from '@starling/shared/config'
import type { Consumer } from '@starling/shared/events'
import { createKafkaEventBus, kafkaProbe } from '@starling/shared/events/kafka'
import type { Worker } from '@starling/shared/lifecycle'
import { createLogger } from '@starling/shared/logging'
import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import type { IndexConfig, SearchConfig } from './config.ts'
import { assertIndicesExist, ensureIndicesWhenReachable, indexSpecs } from './indices.ts'
import { createBulkWriter } from './indexing/bulk-writer.ts'
import { createIndexer } from './indexing/indexer.ts'
import { createRepositories } from './repositories.ts'
import { createSearchService } from './search/search.service.ts'

const SERVICE = 'search'

/** The Elasticsearch client and the indices it holds, for the service and for `npm run reindex`. */
export function composeIndices(config: IndexConfig) {
  return {
    elastic: new Client({ nodes: csv(config.ELASTICSEARCH_URL), requestTimeout: 5000, maxRetries: 1 }),
    indices: indexSpecs(config.SEARCH_INDEX_PREFIX, { refreshMs: config.SEARCH_REFRESH_MS, replicas: config.SEARCH_INDEX_REPLICAS }),
  }
}

/**
 * The search service's dependencies, built once per process: server.ts serves `search` over HTTP,
 * worker.ts runs `worker` (it creates the indices, then indexes the events into them).
 */
export function compose(config: SearchConfig, options: { logger?: Logger } = {}) {
  const logger = options.logger ?? createLogger(SERVICE, config.LOG_LEVEL)
  const metrics = new Registry()
  const { elastic, indices } = composeIndices(config)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })

  const repositories = createRepositories(elastic, indices, createBulkWriter({ client: elastic, maxActions: config.SEARCH_BULK_MAX_ACTIONS, metrics }))
  const search = createSearchService(repositories)
  const indexer = createIndexer(repositories, { metrics })

  // Elasticsearch answers the first searches of each kind slowly (about a second here, its query
  // code and the indices' structures still cold), past the gateway's read timeout under load:
  // readiness waits until one of each kind has been answered, so no user's search is the first.
  let warmed: Promise<unknown> | undefined
  const warmUp = () => (warmed ??= Promise.all(([['tweets', 'starling #starling'], ['users', 'starling'], ['hashtags', 'starling']] as const).map(([type, q]) =>
    search.search({ q, type, highlight: true, limit: 20 }, '1'))).catch((error: unknown) => {
    warmed = undefined
    throw error
  }))

  const stopping = new AbortController()
  let consumer: Consumer | undefined
  let starting: Promise<void> | undefined
  const worker: Worker = {
    async start() {
      // Not awaited here: start() returns at once and the process's readiness
      // (checks.elasticsearch) waits for the indices, which Elasticsearch being away, or a new
      // cluster slow to make them, holds back.
      starting = (async () => {
        await ensureIndicesWhenReachable(elastic, indices, { logger, signal: stopping.signal })
        // Partitions are indexed at once and their writes share bulk requests; an offset is committed
        // only once the bulk holding its document succeeded.
        consumer = await bus.subscribe({
          group: 'search-indexer', topics: indexer.topics, handle: indexer.handle,
          order: 'none', concurrency: config.SEARCH_INDEXER_CONCURRENCY,
        })
      })()
      // A failure other than a stop (a mapping Elasticsearch refuses) is the process's end, as it
      // was when start awaited it: unhandled, it reaches the process's last-resort handler.
      starting.catch((error: unknown) => {
        if (!stopping.signal.aborted) throw error
      })
    },
    async stop() {
      stopping.abort()
      await starting?.catch(() => undefined)
      await consumer?.stop()
    },
  }

  return {
    service: SERVICE,
    config,
    logger,
    metrics,
    elastic,
    search,
    worker,
    checks: {
      async elasticsearch() {
        await assertIndicesExist(elastic, indices)
        await warmUp()
      },
    },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), `${SERVICE}-service`) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      await elastic.close()
    },
  }
}
export type SearchDeps = ReturnType<typeof compose>
