import type { Sql } from '@starling/shared/outbox'
import { MESSAGE_COLUMNS } from '../messages/message.repository.ts'
import type { Conversation } from './conversation.schemas.ts'

export interface ListWindow {
  limit: number
  /** The last message id of the conversation the page starts after (exclusive); none for the first page. */
  before?: string
}

/**
 * Conversations, one per pair of people, and each person's side of them, on the pool (reads) or
 * on a unit of work's transaction (sending).
 */
export function createConversationRepository(db: Sql) {
  return {
    /**
     * Serializes the messages between two people, whoever writes: message ids are taken after it,
     * so they grow in commit order within a conversation. A hash collision with another pair only
     * makes the two wait for each other.
     */
    async lockPair(a: string, b: string) {
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('dm:' || least($1::bigint, $2::bigint) || ':' || greatest($1::bigint, $2::bigint), 0))`, [a, b])
    },

    /** The pair's conversation, made now if they never wrote to each other; call with the pair locked. */
    async open(a: string, b: string): Promise<string> {
      const pair = [a, b]
      const { rows: [created] } = await db.query<{ id: string }>(
        `INSERT INTO conversations (user_low, user_high) VALUES (least($1::bigint, $2::bigint), greatest($1::bigint, $2::bigint))
         ON CONFLICT DO NOTHING RETURNING id::text`, pair,
      )
      if (created) return created.id
      const { rows: [existing] } = await db.query<{ id: string }>(
        'SELECT id::text FROM conversations WHERE user_low = least($1::bigint, $2::bigint) AND user_high = greatest($1::bigint, $2::bigint)', pair,
      )
      return existing!.id
    },

    /** Moves the conversation to the top of both lists and counts the message unread for the recipient. */
    async recordMessage(conversationId: string, senderId: string, recipientId: string, messageId: string) {
      await db.query(
        `INSERT INTO participants (user_id, conversation_id, other_id, last_message_id, unread_count)
         VALUES ($2, $1, $3, $4, 0), ($3, $1, $2, $4, 1)
         ON CONFLICT (user_id, conversation_id) DO UPDATE
           SET last_message_id = greatest(participants.last_message_id, EXCLUDED.last_message_id),
               unread_count = participants.unread_count + EXCLUDED.unread_count`,
        [conversationId, senderId, recipientId, messageId],
      )
    },

    async isParticipant(conversationId: string, userId: string): Promise<boolean> {
      const { rowCount } = await db.query('SELECT 1 FROM participants WHERE user_id = $1 AND conversation_id = $2', [userId, conversationId])
      return rowCount === 1
    },

    /** A person's conversations, the most recently active first. */
    async list(userId: string, window: ListWindow): Promise<Conversation[]> {
      const { rows } = await db.query<Conversation>(
        `SELECT p.conversation_id::text AS id,
                json_build_object('id', p.other_id::text, 'username', coalesce(u.username, ''), 'display_name', coalesce(u.display_name, '')) AS other,
                (SELECT row_to_json(lm) FROM (SELECT ${MESSAGE_COLUMNS}) lm) AS last_message,
                p.unread_count
           FROM participants p JOIN messages m ON m.id = p.last_message_id LEFT JOIN users u ON u.id = p.other_id
          WHERE p.user_id = $1 AND ($3::bigint IS NULL OR p.last_message_id < $3::bigint)
          ORDER BY p.last_message_id DESC LIMIT $2`,
        [userId, window.limit, window.before ?? null],
      )
      return rows
    },

    /** Marks the conversation read for `userId`; false when they are not in it. */
    async markRead(userId: string, conversationId: string): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE participants SET unread_count = 0 WHERE user_id = $1 AND conversation_id = $2', [userId, conversationId])
      return rowCount === 1
    },
  }
}
export type ConversationRepository = ReturnType<typeof createConversationRepository>
