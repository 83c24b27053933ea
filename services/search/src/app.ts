import fastifyElasticsearch from '@fastify/elasticsearch'
import { createServiceApp } from '@starling/shared'
import type { Logger } from 'pino'
import type { SearchConfig } from './config.ts'
import { indexSpecs } from './indices.ts'
import { searchRoutes } from './search/search.routes.ts'
import { createSearchService } from './search/search.service.ts'
import { createUserSearchRepository } from './users/user-search.repository.ts'

export async function buildApp(config: SearchConfig, deps: { logger?: Logger } = {}) {
  const indices = indexSpecs(config.SEARCH_INDEX_PREFIX)
  const app = await createServiceApp({
    service: 'search',
    description: 'Search over accounts, fed by Kafka into Elasticsearch.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    // The alias exists once the index was created: searching before that would only fail.
    checks: { elasticsearch: async () => { if (!(await app.elastic.indices.existsAlias({ name: indices.users.alias }))) throw new Error('users index missing') } },
  })
  // healthcheck off: it pings GET /, which the Maven-distributed server used locally does not serve.
  await app.register(fastifyElasticsearch, { node: config.ELASTICSEARCH_URL, healthcheck: false, requestTimeout: 5000, maxRetries: 1 })
  const users = createUserSearchRepository(app.elastic, indices.users.alias)
  await app.register(searchRoutes, { search: createSearchService({ users }) })
  return app
}
