import { createApiApp } from '@starling/shared/http'
import type { TimelineDeps } from './compose.ts'
import { errors } from './errors.ts'
import { timelineRoutes } from './timelines/timeline.routes.ts'

/** The timeline service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: TimelineDeps) {
  const app = await createApiApp(deps, {
    description: 'Home timelines: hybrid fanout into Redis sorted sets, high-follower authors merged at read time.',
    errors,
  })
  await app.register(timelineRoutes, { timelines: deps.timelines })
  return app
}
