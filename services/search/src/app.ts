import fastifyElasticsearch from '@fastify/elasticsearch'
import { authOptions, authPlugin } from '@starling/shared/auth'
import { createServiceApp } from '@starling/shared/http'
import type { SearchDeps } from './compose.ts'
import { errors } from './errors.ts'
import { searchRoutes } from './search/search.routes.ts'

/** The search service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: SearchDeps) {
  const app = await createServiceApp({
    service: deps.service,
    description: 'Search over tweets, accounts and hashtags, fed by Kafka into Elasticsearch.',
    config: deps.config,
    errors,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: deps.checks,
    reports: deps.reports,
  })
  app.addHook('onClose', () => deps.close())
  // healthcheck off: it pings GET /, which the Maven-distributed server used locally does not serve.
  await app.register(fastifyElasticsearch, { client: deps.elastic, healthcheck: false })
  await app.register(authPlugin, authOptions(deps.config))
  await app.register(searchRoutes, { search: deps.search })
  return app
}
