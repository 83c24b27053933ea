import { notFound } from '@starling/shared/errors'
import { isId } from '@starling/shared/schemas'
import type { ListQuery } from '../messages/message.schemas.ts'
import { cursorId, toPage } from '../page-cursor.ts'
import type { ConversationRepository } from './conversation.repository.ts'

/** To anyone but its two people a conversation does not exist. */
export const conversationNotFound = (id: string) => notFound('DM_CONVERSATION_NOT_FOUND', `You have no conversation ${id}.`)

/** A person's list of conversations, and marking one read. */
export function createConversationService(deps: { conversations: ConversationRepository }) {
  const { conversations } = deps
  return {
    async list(userId: string, query: ListQuery) {
      const before = cursorId(query.cursor)
      const rows = await conversations.list(userId, { limit: query.limit + 1, ...(before ? { before } : {}) })
      return toPage(rows, query.limit, (conversation) => conversation.last_message.id)
    },

    async markRead(userId: string, conversationId: string) {
      if (!isId(conversationId) || !(await conversations.markRead(userId, conversationId))) throw conversationNotFound(conversationId)
      return { unread_count: 0 }
    },
  }
}
export type ConversationService = ReturnType<typeof createConversationService>
