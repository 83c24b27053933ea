import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { createMemoryConversationRepository, type MemoryProfile } from './conversations/conversation.repository.memory.ts'
import { createConversationService } from './conversations/conversation.service.ts'
import { createMemoryMessageRepository } from './messages/message.repository.memory.ts'
import { createMessageService } from './messages/message.service.ts'

/**
 * The dm services as compose.ts builds them, over in-memory repositories and replicas, for unit
 * tests of the rules. `accounts` are who the user replica knows; `blocks` holds "blocker>blocked".
 */
export function composeInMemory(accounts: Record<string, MemoryProfile>) {
  const profiles = new Map(Object.entries(accounts))
  const blocks = new Set<string>()
  const messages = createMemoryMessageRepository()
  const conversations = createMemoryConversationRepository({ messages, profiles: (id) => profiles.get(id) })
  const uow = createMemoryUnitOfWork({ messages, conversations })
  return {
    messages: createMessageService({
      uow,
      messages,
      conversations,
      users: { exists: async (id) => profiles.has(id) },
      blocks: { blockedEitherWay: async (a, b) => blocks.has(`${a}>${b}`) || blocks.has(`${b}>${a}`) },
    }),
    conversations: createConversationService({ conversations }),
    /** The events of the sends that completed, in order. */
    events: uow.published,
    blocks,
    stored: messages,
  }
}
