import { createEvent } from '@starling/shared/events'
import { idCursor, pageOf } from '@starling/shared/http'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { RelationReplica, UserReplica } from '@starling/shared/replicas'
import { isId } from '@starling/shared/schemas'
import type { ConversationRepository } from '../conversations/conversation.repository.ts'
import { conversationNotFound } from '../conversations/conversation.service.ts'
import { errors } from '../errors.ts'
import { requestHash } from './idempotency.ts'
import { messageText } from './message-text.ts'
import type { MessageRepository } from './message.repository.ts'
import type { ListQuery, Message, NewMessage } from './message.schemas.ts'

/** The repositories a message is sent with, bound to one transaction. */
export interface SendRepositories {
  messages: MessageRepository
  conversations: ConversationRepository
}

/**
 * Sending and reading direct messages. A message and its message.created event commit together,
 * keyed by the conversation so that a conversation's messages stay in order.
 */
export function createMessageService(deps: {
  uow: UnitOfWork<SendRepositories>
  messages: MessageRepository
  conversations: ConversationRepository
  users: Pick<UserReplica, 'exists'>
  blocks: Pick<RelationReplica, 'blockedEitherWay'>
}) {
  const { uow, messages, conversations, users, blocks } = deps

  return {
    /**
     * With an Idempotency-Key, a retry of the same body returns the message the first request made
     * (even while that request is still committing) and sends nothing.
     */
    async send(senderId: string, input: NewMessage, idempotencyKey?: string): Promise<Message> {
      const text = messageText(input.text)
      const recipientId = input.recipient_id
      if (recipientId === senderId) throw errors.DM_SELF('You cannot message yourself.', { errors: [{ field: 'recipient_id', message: 'is you' }] })
      if (!(await users.exists(recipientId))) throw errors.DM_USER_NOT_FOUND(`No user has id ${recipientId}.`)
      // The sender must be in the replica too: conversations show both people by name.
      if (!(await users.exists(senderId))) throw errors.DM_SENDER_UNKNOWN('The account this token belongs to does not exist.')
      if (await blocks.blockedEitherWay(senderId, recipientId)) throw errors.DM_BLOCKED('You cannot message this person: one of you has blocked the other.')

      return uow.run(async ({ messages, conversations }, events) => {
        await conversations.lockPair(senderId, recipientId)
        const id = await messages.nextId()
        if (idempotencyKey) {
          const hash = requestHash(input)
          const earlier = await messages.claimIdempotencyKey({ userId: senderId, key: idempotencyKey, requestHash: hash, messageId: id })
          if (earlier) {
            if (earlier.request_hash !== hash) {
              throw errors.DM_IDEMPOTENCY_MISMATCH('This Idempotency-Key was used for a different message; use a new key for a new message.')
            }
            return (await messages.findById(earlier.message_id))!
          }
        }
        const conversationId = await conversations.open(senderId, recipientId)
        const message = await messages.insert({ id, conversationId, senderId, recipientId, text })
        await conversations.recordMessage(conversationId, senderId, recipientId, id)
        events.publish(createEvent('message.created', 1, conversationId, {
          message_id: id, conversation_id: conversationId, sender_id: senderId, recipient_id: recipientId, text, created_at: message.created_at,
        }))
        return message
      })
    },

    /** A conversation's messages, newest first, for its two people only; to anyone else it does not exist. */
    async history(userId: string, conversationId: string, query: ListQuery) {
      const before = query.cursor ? idCursor.decode(query.cursor)[0] : undefined
      if (!isId(conversationId) || !(await conversations.isParticipant(conversationId, userId))) throw conversationNotFound(conversationId)
      const rows = await messages.list(conversationId, { limit: query.limit + 1, ...(before ? { before } : {}) })
      return pageOf(rows, query.limit, (message) => idCursor.encode([message.id]))
    },
  }
}
export type MessageService = ReturnType<typeof createMessageService>
