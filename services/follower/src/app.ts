import { authOptions, authPlugin } from '@starling/shared/auth'
import { createServiceApp } from '@starling/shared/http'
import type { FollowerDeps } from './compose.ts'
import { errors } from './errors.ts'
import { graphRoutes } from './graph/graph.routes.ts'

/** The follower service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: FollowerDeps) {
  const app = await createServiceApp({
    service: deps.service,
    description: 'The social graph: follows, blocks and mutes. Publishes graph events through its outbox.',
    config: deps.config,
    errors,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: deps.checks,
    reports: deps.reports,
  })
  app.addHook('onClose', () => deps.close())
  await app.register(authPlugin, authOptions(deps.config))
  await app.register(graphRoutes, { graph: deps.graph })
  return app
}
