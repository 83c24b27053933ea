import type { MessageRepository } from '../messages/message.repository.ts'
import type { Conversation } from './conversation.schemas.ts'
import type { ConversationRepository, ListWindow } from './conversation.repository.ts'

/** What a conversation shows of the other person, from the user replica. */
export interface MemoryProfile {
  username: string
  display_name: string
}

interface Participant {
  userId: string
  conversationId: string
  otherId: string
  lastMessageId: string
  unreadCount: number
}

/**
 * The conversations and participants tables in memory, for unit tests of the rules. A list shows
 * each conversation's last message from `messages` and the other person from `profiles` (blank
 * when the replica lacks them, as the SQL's LEFT JOIN does).
 */
export function createMemoryConversationRepository(deps: { messages: Pick<MessageRepository, 'findById'>; profiles: (id: string) => MemoryProfile | undefined }): ConversationRepository {
  const { messages, profiles } = deps
  const conversations = new Map<string, string>()
  const participants = new Map<string, Participant>()
  const pairKey = (a: string, b: string) => (BigInt(a) < BigInt(b) ? `${a}:${b}` : `${b}:${a}`)
  let nextId = 1n

  return {
    async lockPair() {},
    async open(a: string, b: string) {
      const key = pairKey(a, b)
      if (!conversations.has(key)) conversations.set(key, String(nextId++))
      return conversations.get(key)!
    },
    async recordMessage(conversationId: string, senderId: string, recipientId: string, messageId: string) {
      for (const [userId, otherId, unread] of [[senderId, recipientId, 0], [recipientId, senderId, 1]] as const) {
        const key = `${userId}:${conversationId}`
        const side = participants.get(key) ?? { userId, conversationId, otherId, lastMessageId: messageId, unreadCount: 0 }
        if (BigInt(messageId) > BigInt(side.lastMessageId)) side.lastMessageId = messageId
        side.unreadCount += unread
        participants.set(key, side)
      }
    },
    isParticipant: async (conversationId: string, userId: string) => participants.has(`${userId}:${conversationId}`),
    async list(userId: string, window: ListWindow): Promise<Conversation[]> {
      const sides = [...participants.values()]
        .filter((side) => side.userId === userId && (!window.before || BigInt(side.lastMessageId) < BigInt(window.before)))
        .sort((a, b) => Number(BigInt(b.lastMessageId) - BigInt(a.lastMessageId)))
        .slice(0, window.limit)
      return Promise.all(sides.map(async (side) => {
        const other = profiles(side.otherId)
        return {
          id: side.conversationId,
          other: { id: side.otherId, username: other?.username ?? '', display_name: other?.display_name ?? '' },
          last_message: (await messages.findById(side.lastMessageId))!,
          unread_count: side.unreadCount,
        }
      }))
    },
    async markRead(userId: string, conversationId: string) {
      const side = participants.get(`${userId}:${conversationId}`)
      if (!side) return false
      side.unreadCount = 0
      return true
    },
  }
}
