import fastifyElasticsearch from '@fastify/elasticsearch'
import { createApiApp } from '@starling/shared/http'
import type { SearchDeps } from './compose.ts'
import { errors } from './errors.ts'
import { searchRoutes } from './search/search.routes.ts'

/** The search service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: SearchDeps) {
  const app = await createApiApp(deps, {
    description: 'Search over tweets, accounts and hashtags, fed by Kafka into Elasticsearch.',
    errors,
  })
  // healthcheck off: it pings GET /, which the Maven-distributed server used locally does not serve.
  await app.register(fastifyElasticsearch, { client: deps.elastic, healthcheck: false })
  await app.register(searchRoutes, { search: deps.search })
  return app
}
