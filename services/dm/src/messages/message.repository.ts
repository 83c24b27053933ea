import type { Sql } from '@starling/shared/outbox'
import type { Message } from './message.schemas.ts'

// A message as clients see it; `m` is the messages row.
export const MESSAGE_COLUMNS = `m.id::text AS id, m.conversation_id::text AS conversation_id, m.sender_id::text AS sender_id,
  m.recipient_id::text AS recipient_id, m.text, to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at`

export interface NewMessageRow {
  id: string
  conversationId: string
  senderId: string
  recipientId: string
  text: string
}

export interface PageWindow {
  limit: number
  /** The id the page starts after (exclusive, newest first); none for the first page. */
  before?: string
}

/** What an Idempotency-Key remembers: the request it was first used for, and the message that made. */
export interface IdempotencyClaim {
  userId: string
  key: string
  requestHash: string
  messageId: string
}

/** Messages and the Idempotency-Keys of their sending, on the pool (reads) or on a unit of work's transaction (sending). */
export function createMessageRepository(db: Sql) {
  return {
    /** A new time-ordered id; taken with the pair locked, so ids grow in commit order within a conversation. */
    async nextId(): Promise<string> {
      const { rows: [row] } = await db.query<{ id: string }>('SELECT starling_next_id()::text AS id')
      return row!.id
    },

    async insert(message: NewMessageRow): Promise<Message> {
      const { rows: [row] } = await db.query<Message>(
        `WITH m AS (
           INSERT INTO messages (id, conversation_id, sender_id, recipient_id, text, created_at)
           VALUES ($1, $2, $3, $4, $5, clock_timestamp()) RETURNING *
         )
         SELECT ${MESSAGE_COLUMNS} FROM m`,
        [message.id, message.conversationId, message.senderId, message.recipientId, message.text],
      )
      return row!
    },

    async findById(id: string): Promise<Message | undefined> {
      const { rows: [row] } = await db.query<Message>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = $1`, [id])
      return row
    },

    /** A conversation's messages, newest first. */
    async list(conversationId: string, page: PageWindow): Promise<Message[]> {
      const { rows } = await db.query<Message>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages m
          WHERE m.conversation_id = $1 AND ($3::bigint IS NULL OR m.id < $3::bigint)
          ORDER BY m.id DESC LIMIT $2`,
        [conversationId, page.limit, page.before ?? null],
      )
      return rows
    },

    /**
     * Claims an Idempotency-Key for the message about to be inserted. Returns undefined when claimed,
     * or the earlier request's hash and message when the key was used before. A concurrent request
     * holding the same key makes the insert wait until it commits (then its row is found) or rolls
     * back (then the claim succeeds).
     */
    async claimIdempotencyKey(claim: IdempotencyClaim): Promise<{ request_hash: string; message_id: string } | undefined> {
      const { rowCount } = await db.query(
        'INSERT INTO idempotency_keys (user_id, key, request_hash, message_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [claim.userId, claim.key, claim.requestHash, claim.messageId],
      )
      if (rowCount === 1) return undefined
      const { rows: [row] } = await db.query<{ request_hash: string; message_id: string }>(
        'SELECT request_hash, message_id::text FROM idempotency_keys WHERE user_id = $1 AND key = $2', [claim.userId, claim.key],
      )
      return row
    },
  }
}
export type MessageRepository = ReturnType<typeof createMessageRepository>
