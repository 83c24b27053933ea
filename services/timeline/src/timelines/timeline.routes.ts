import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { errors } from '../errors.ts'
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
      response: { 200: TimelinePage, ...errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...SIGNED_IN, 'TML_NOT_YOURS') },
    },
  }, async (request) => timelines.read(request.params.user_id, request.user!.id, request.query.limit, request.query.cursor))
}
