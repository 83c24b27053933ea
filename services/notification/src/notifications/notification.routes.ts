import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { OPTIONAL_BODY } from '@starling/shared/http'
import { errors } from '../errors.ts'
import { Inbox, InboxParams, InboxQuery, MarkRead, UnreadCount } from './notification.schemas.ts'
import type { NotificationService } from './notification.service.ts'

const security = [{ bearer: [] }]
const inboxErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...SIGNED_IN, 'NTF_NOT_YOURS')
const markReadErrors = errors.responses(
  'VALIDATION_FAILED', 'MALFORMED_JSON', 'NTF_INVALID_ID', ...SIGNED_IN, 'NTF_NOT_YOURS', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE',
)

export const notificationRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationService }> = async (app, { notifications }) => {
  app.get('/notifications/:user_id', {
    onRequest: [app.authenticate],
    schema: { summary: 'Your notifications, newest first', security, params: InboxParams, querystring: InboxQuery, response: { 200: Inbox, ...inboxErrors } },
  }, async (request) => notifications.inbox(request.params.user_id, request.user!.id, request.query))

  app.post('/notifications/:user_id/read', {
    onRequest: [app.authenticate],
    // The body is optional: none means "all of them" (a JSON null is a body, and not an object).
    preValidation: async (request) => {
      if (request.body === undefined) request.body = {}
    },
    schema: {
      summary: 'Mark your notifications read, all of them or up to one',
      security, params: InboxParams, body: MarkRead, [OPTIONAL_BODY]: true, response: { 200: UnreadCount, ...markReadErrors },
    },
  }, async (request) => notifications.markRead(request.params.user_id, request.user!.id, request.body.up_to_id))
}
