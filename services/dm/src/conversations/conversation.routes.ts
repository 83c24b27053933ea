import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { errors } from '../errors.ts'
import { ConversationParams, ListQuery } from '../messages/message.schemas.ts'
import { ConversationPage, UnreadCount } from './conversation.schemas.ts'
import type { ConversationService } from './conversation.service.ts'

const listErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...SIGNED_IN)
const readErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'DM_CONVERSATION_NOT_FOUND')
const security = [{ bearer: [] }]

export const conversationRoutes: FastifyPluginAsyncTypebox<{ conversations: ConversationService }> = async (app, { conversations }) => {
  app.get('/conversations', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'Your conversations, the most recently active first',
      security, querystring: ListQuery, response: { 200: ConversationPage, ...listErrors },
    },
  }, async (request) => conversations.list(request.user!.id, request.query))

  app.post('/messages/:conversation_id/read', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'Mark a conversation read (404 unless it is yours)',
      security, params: ConversationParams, response: { 200: UnreadCount, ...readErrors },
    },
  }, async (request) => conversations.markRead(request.user!.id, request.params.conversation_id))
}
