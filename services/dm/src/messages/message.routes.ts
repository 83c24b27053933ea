import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { errors } from '../errors.ts'
import { ConversationParams, ListQuery, Message, MessagePage, NewMessage, PostHeaders } from './message.schemas.ts'
import type { MessageService } from './message.service.ts'

// DM_USER_SERVICE_UNAVAILABLE: the user service could not say whether an id unknown here exists.
const sendErrors = errors.responses(
  'VALIDATION_FAILED', 'DM_TEXT_LENGTH', 'DM_SELF', ...SIGNED_IN, 'DM_SENDER_UNKNOWN', 'DM_BLOCKED', 'DM_USER_NOT_FOUND',
  'DM_IDEMPOTENCY_MISMATCH', 'DM_USER_SERVICE_UNAVAILABLE',
)
const historyErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...SIGNED_IN, 'DM_CONVERSATION_NOT_FOUND')
const security = [{ bearer: [] }]

export const messageRoutes: FastifyPluginAsyncTypebox<{ messages: MessageService }> = async (app, { messages }) => {
  app.post('/messages/', {
    onRequest: [app.authenticate],
    schema: { summary: 'Send a direct message', security, headers: PostHeaders, body: NewMessage, response: { 201: Message, ...sendErrors } },
  }, async (request, reply) => reply.code(201).send(await messages.send(request.user!.id, request.body, request.headers['idempotency-key'])))

  app.get('/messages/:conversation_id', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'A conversation\'s messages, newest first (404 unless it is yours)',
      security, params: ConversationParams, querystring: ListQuery, response: { 200: MessagePage, ...historyErrors },
    },
  }, async (request) => messages.history(request.user!.id, request.params.conversation_id, request.query))
}
