import type { Client } from '@elastic/elasticsearch'
import { createKafkaEventBus, csv, topics } from '@starling/shared'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { SearchConfig } from './config.ts'
import { ensureIndices, indexSpecs } from './indices.ts'
import { createUserIndexer } from './users/user-indexer.ts'
import { createUserSearchRepository } from './users/user-search.repository.ts'

/** Follows the user events into Elasticsearch. Offsets are committed only once a document is written. */
export function createSearchWorker(deps: { config: SearchConfig; client: Client; logger: Logger; metrics?: Registry }) {
  const { config, client, logger } = deps
  const indices = indexSpecs(config.SEARCH_INDEX_PREFIX)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: 'search-service', logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) })
  const users = createUserIndexer(createUserSearchRepository(client, indices.users.alias))
  return {
    async start() {
      await ensureIndices(client, indices)
      await bus.subscribe({ group: 'search-indexer', topics: [topics.users.name], handle: (event) => users.handle(event) })
    },
    stop: () => bus.close(),
  }
}
