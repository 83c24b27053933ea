import type { Message } from './message.schemas.ts'
import type { IdempotencyClaim, MessageRepository, NewMessageRow, PageWindow } from './message.repository.ts'

const newestFirst = (a: { id: string }, b: { id: string }) => Number(BigInt(b.id) - BigInt(a.id))

/**
 * The messages and idempotency_keys tables in memory, for unit tests of the rules: ids grow as
 * starling_next_id() does, lists are newest first by id as the SQL does. `clock` stamps each message.
 */
export function createMemoryMessageRepository(clock = (() => { let t = Date.parse('2026-01-01T00:00:00Z'); return () => new Date(t += 1000) })()) {
  const rows = new Map<string, Message>()
  const keys = new Map<string, { request_hash: string; message_id: string }>()
  let nextId = 1_000_000n
  const repository: MessageRepository = {
    nextId: async () => String(nextId++),
    async insert(message: NewMessageRow) {
      const row: Message = {
        id: message.id, conversation_id: message.conversationId, sender_id: message.senderId,
        recipient_id: message.recipientId, text: message.text, created_at: clock().toISOString(),
      }
      rows.set(row.id, row)
      return row
    },
    findById: async (id: string) => rows.get(id),
    async list(conversationId: string, page: PageWindow) {
      return [...rows.values()]
        .filter((row) => row.conversation_id === conversationId && (!page.before || BigInt(row.id) < BigInt(page.before)))
        .sort(newestFirst)
        .slice(0, page.limit)
    },
    async claimIdempotencyKey(claim: IdempotencyClaim) {
      const key = `${claim.userId}:${claim.key}`
      const earlier = keys.get(key)
      if (earlier) return earlier
      keys.set(key, { request_hash: claim.requestHash, message_id: claim.messageId })
      return undefined
    },
  }
  /** Every message stored, in no particular order (what a test may count). */
  return Object.assign(repository, { all: () => [...rows.values()] })
}
