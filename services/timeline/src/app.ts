import { authOptions, authPlugin } from '@starling/shared/auth'
import { createServiceApp } from '@starling/shared/http'
import type { TimelineDeps } from './compose.ts'
import { errors } from './errors.ts'
import { timelineRoutes } from './timelines/timeline.routes.ts'

/** The timeline service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: TimelineDeps) {
  const app = await createServiceApp({
    service: deps.service,
    description: 'Home timelines: hybrid fanout into Redis sorted sets, high-follower authors merged at read time.',
    config: deps.config,
    errors,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: deps.checks,
    reports: deps.reports,
  })
  app.addHook('onClose', () => deps.close())
  await app.register(authPlugin, authOptions(deps.config))
  await app.register(timelineRoutes, { timelines: deps.timelines })
  return app
}
