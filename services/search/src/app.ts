import fastifyElasticsearch from '@fastify/elasticsearch'
import { authOptions, authPlugin } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import type { Logger } from 'pino'
import { elasticsearchClientOptions, type SearchConfig } from './config.ts'
import { indexSpecs } from './indices.ts'
import { createBulkWriter } from './indexing/bulk-writer.ts'
import { createRepositories } from './repositories.ts'
import { searchRoutes } from './search/search.routes.ts'
import { createSearchService } from './search/search.service.ts'

export async function buildApp(config: SearchConfig, deps: { logger?: Logger } = {}) {
  const indices = indexSpecs(config.SEARCH_INDEX_PREFIX)
  const aliases = Object.values(indices).map((spec) => spec.alias)
  const app = await createServiceApp({
    service: 'search',
    description: 'Search over tweets, accounts and hashtags, fed by Kafka into Elasticsearch.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    // The aliases exist once the indexer created the indices: searching before that would only fail.
    checks: { elasticsearch: async () => { if (!(await app.elastic.indices.existsAlias({ name: aliases }))) throw new Error('search indices missing') } },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'search-service') },
  })
  // healthcheck off: it pings GET /, which the Maven-distributed server used locally does not serve.
  await app.register(fastifyElasticsearch, { ...elasticsearchClientOptions(config.ELASTICSEARCH_URL), healthcheck: false })
  await app.register(authPlugin, authOptions(config))
  // The routes only read; the writer is there because the repositories also write.
  const repositories = createRepositories(app.elastic, indices, createBulkWriter({ client: app.elastic, maxActions: config.SEARCH_BULK_MAX_ACTIONS }))
  await app.register(searchRoutes, { search: createSearchService(repositories) })
  return app
}
