import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import { ConversationParams, ListQuery, Message, MessagePage, NewMessage, PostHeaders } from './message.schemas.ts'
import type { MessageService } from './message.service.ts'

const security = [{ bearer: [] }]

export const messageRoutes: FastifyPluginAsyncTypebox<{ messages: MessageService }> = async (app, { messages }) => {
  app.post('/messages/', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'Send a direct message',
      security,
      headers: PostHeaders,
      body: NewMessage,
      // 403: one of you blocked the other. 422: the Idempotency-Key was used for another body.
      // 503: the user service could not say whether the recipient exists.
      response: { 201: Message, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 415: Problem, 422: Problem, 503: Problem },
    },
  }, async (request, reply) => reply.code(201).send(await messages.send(request.user!.id, request.body, request.headers['idempotency-key'])))

  app.get('/messages/:conversation_id', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'A conversation\'s messages, newest first (404 unless it is yours)',
      security, params: ConversationParams, querystring: ListQuery, response: { 200: MessagePage, 400: Problem, 401: Problem, 404: Problem },
    },
  }, async (request) => messages.history(request.user!.id, request.params.conversation_id, request.query))
}
