import { createApiApp } from '@starling/shared/http'
import type { MediaDeps } from './compose.ts'
import { errors } from './errors.ts'
import { mediaRoutes } from './media/media.routes.ts'

/** The media service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: MediaDeps) {
  const app = await createApiApp(deps, {
    description: 'Pictures: presigned uploads straight to the object store, checked and processed from the event stream. Publishes media events through its outbox.',
    errors,
  })
  await app.register(mediaRoutes, { media: deps.media })
  return app
}
