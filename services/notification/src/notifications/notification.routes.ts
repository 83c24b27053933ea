import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import { OPTIONAL_BODY } from '@starling/shared/http'
import { Inbox, InboxParams, InboxQuery, MarkRead, UnreadCount } from './notification.schemas.ts'
import type { NotificationService } from './notification.service.ts'

const security = [{ bearer: [] }]
const errors = { 400: Problem, 401: Problem, 403: Problem }

export const notificationRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationService }> = async (app, { notifications }) => {
  app.get('/notifications/:user_id', {
    onRequest: [app.authenticate],
    schema: { summary: 'Your notifications, newest first', security, params: InboxParams, querystring: InboxQuery, response: { 200: Inbox, ...errors } },
  }, async (request) => notifications.inbox(request.params.user_id, request.user!.id, request.query))

  app.post('/notifications/:user_id/read', {
    onRequest: [app.authenticate],
    // The body is optional: none means "all of them" (a JSON null is a body, and not an object).
    preValidation: async (request) => {
      if (request.body === undefined) request.body = {}
    },
    schema: {
      summary: 'Mark your notifications read, all of them or up to one',
      security, params: InboxParams, body: MarkRead, [OPTIONAL_BODY]: true, response: { 200: UnreadCount, ...errors, 413: Problem, 415: Problem },
    },
  }, async (request) => notifications.markRead(request.params.user_id, request.user!.id, request.body.up_to_id))
}
