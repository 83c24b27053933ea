import { idCursor, pageOf } from '@starling/shared/http'
import { isId } from '@starling/shared/schemas'
import { errors } from '../errors.ts'
import type { ListQuery } from '../messages/message.schemas.ts'
import type { ConversationRepository } from './conversation.repository.ts'

/** To anyone but its two people a conversation does not exist. */
export const conversationNotFound = (id: string) => errors.DM_CONVERSATION_NOT_FOUND(`You have no conversation ${id}.`)

/** A person's list of conversations, and marking one read. */
export function createConversationService(deps: { conversations: ConversationRepository }) {
  const { conversations } = deps
  return {
    async list(userId: string, query: ListQuery) {
      const before = query.cursor ? idCursor.decode(query.cursor)[0] : undefined
      const rows = await conversations.list(userId, { limit: query.limit + 1, ...(before ? { before } : {}) })
      return pageOf(rows, query.limit, (conversation) => idCursor.encode([conversation.last_message.id]))
    },

    async markRead(userId: string, conversationId: string) {
      if (!isId(conversationId) || !(await conversations.markRead(userId, conversationId))) throw conversationNotFound(conversationId)
      return { unread_count: 0 }
    },
  }
}
export type ConversationService = ReturnType<typeof createConversationService>
