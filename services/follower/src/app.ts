import { createApiApp } from '@starling/shared/http'
import type { FollowerDeps } from './compose.ts'
import { errors } from './errors.ts'
import { graphRoutes } from './graph/graph.routes.ts'

/** The follower service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: FollowerDeps) {
  const app = await createApiApp(deps, {
    description: 'The social graph: follows, blocks and mutes. Publishes graph events through its outbox.',
    errors,
  })
  await app.register(graphRoutes, { graph: deps.graph })
  return app
}
