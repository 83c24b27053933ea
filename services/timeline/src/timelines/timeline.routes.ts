import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import { TimelinePage, TimelineParams, TimelineQuery } from './timeline.schemas.ts'
import type { TimelineService } from './timeline.service.ts'

export const timelineRoutes: FastifyPluginAsyncTypebox<{ timelines: TimelineService }> = async (app, { timelines }) => {
  app.get('/timelines/:user_id', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'Your home timeline, newest first',
      security: [{ bearer: [] }],
      params: TimelineParams,
      querystring: TimelineQuery,
      response: { 200: TimelinePage, 400: Problem, 401: Problem, 403: Problem },
    },
  }, async (request) => timelines.read(request.params.user_id, request.user!.id, request.query.limit, request.query.cursor))
}
