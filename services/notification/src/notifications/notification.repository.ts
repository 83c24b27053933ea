import { claimEvent } from '@starling/shared/db'
import type { Sql } from '@starling/shared/outbox'
import type { Candidate, NotificationType, Retraction } from './notification-rules.ts'
import type { NotificationItem } from './notification.schemas.ts'

// A notification as its recipient sees it; `n` is the notifications row, `u` its actor in the replica.
const ITEM_COLUMNS = `n.id::text AS id, n.type,
  json_build_object('id', n.actor_id::text, 'username', coalesce(u.username, ''), 'display_name', coalesce(u.display_name, '')) AS actor,
  n.tweet_id::text AS tweet_id, n.conversation_id::text AS conversation_id,
  to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, n.read, n.recipient_id::text AS recipient_id`

/**
 * Whether a notification for `recipient` about `actor` (and `tweet`) may be shown: not when either
 * blocked the other, the recipient muted the actor, or the tweet was deleted. Applied when storing
 * and again when reading, so a block or a deletion consumed while a like from another topic was
 * being stored still hides it. Tweets pushed live to home timelines follow the same rules.
 */
export const visible = (recipient: string, actor: string, tweet: string) => `
  NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${recipient} AND b.blocked_id = ${actor}) OR (b.blocker_id = ${actor} AND b.blocked_id = ${recipient}))
  AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ${recipient} AND m.muted_id = ${actor})
  AND (${tweet} IS NULL OR NOT EXISTS (SELECT 1 FROM deleted_tweets d WHERE d.tweet_id = ${tweet}))`
const VISIBLE = visible('n.recipient_id', 'n.actor_id', 'n.tweet_id')

interface ItemRow {
  id: string
  type: NotificationType
  actor: NotificationItem['actor']
  tweet_id: string | null
  conversation_id: string | null
  created_at: string
  read: boolean
  recipient_id: string
}

const toItem = ({ tweet_id, conversation_id, recipient_id: _recipient, ...row }: ItemRow): NotificationItem => ({
  ...row, ...(tweet_id ? { tweet_id } : {}), ...(conversation_id ? { conversation_id } : {}),
})

export interface InboxWindow {
  types?: NotificationType[]
  /** The id the page starts after (exclusive, newest first). */
  before?: string
  limit: number
}

/** The inboxes' tables, on the pool (reads) or on a unit of work's transaction (the consumer's changes). */
export function createNotificationRepository(db: Sql) {
  return {
    /** Records that `consumer` applies the event now; false when it already had (a redelivery). */
    claim: (consumer: string, eventId: string) => claimEvent(db, consumer, eventId),

    /**
     * Stores the notification unless it must not exist (blocked or muted actor, deleted tweet) or
     * this event made it already; returns its id when it was stored now.
     */
    async insert(c: Candidate, eventId: string): Promise<string | undefined> {
      const { rows: [row] } = await db.query<{ id: string }>(
        `INSERT INTO notifications AS n (recipient_id, type, actor_id, tweet_id, conversation_id, source_event_id, created_at)
         SELECT r, $2, a, t, $5, $6, $7
           FROM (SELECT $1::bigint AS r, $3::bigint AS a, $4::bigint AS t) k
          WHERE ${visible('k.r', 'k.a', 'k.t')}
         ON CONFLICT DO NOTHING RETURNING n.id::text`,
        [c.recipientId, c.type, c.actorId, c.tweetId, c.conversationId, eventId, c.createdAt],
      )
      return row?.id
    },

    /** The notifications with these ids, as shown, with whom each is for. */
    async items(ids: string[]): Promise<{ recipientId: string; item: NotificationItem }[]> {
      if (ids.length === 0) return []
      const { rows } = await db.query<ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM notifications n LEFT JOIN users u ON u.id = n.actor_id WHERE n.id = ANY($1::bigint[]) ORDER BY n.id`, [ids],
      )
      return rows.map((row) => ({ recipientId: row.recipient_id, item: toItem(row) }))
    },

    /** Takes back an unread notification; one already read stays, as it was seen. */
    async retract(r: Retraction) {
      await db.query(
        `DELETE FROM notifications WHERE recipient_id = $1 AND type = $2 AND actor_id = $3 AND tweet_id IS NOT DISTINCT FROM $4::bigint AND NOT read`,
        [r.recipientId, r.type, r.actorId, r.tweetId],
      )
    },

    /** Remembers the deletion and removes every notification about the tweet. */
    async deleteTweet(tweetId: string, deletedAt: string) {
      await db.query('INSERT INTO deleted_tweets (tweet_id, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tweetId, deletedAt])
      await db.query('DELETE FROM notifications WHERE tweet_id = $1', [tweetId])
    },

    /** A page of the inbox, newest first. */
    async page(recipientId: string, window: InboxWindow): Promise<NotificationItem[]> {
      const { rows } = await db.query<ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM notifications n LEFT JOIN users u ON u.id = n.actor_id
          WHERE n.recipient_id = $1 AND ($2::text[] IS NULL OR n.type = ANY($2::text[])) AND ($3::bigint IS NULL OR n.id < $3::bigint)
            AND ${VISIBLE}
          ORDER BY n.id DESC LIMIT $4`,
        [recipientId, window.types ?? null, window.before ?? null, window.limit],
      )
      return rows.map(toItem)
    },

    async unreadCount(recipientId: string): Promise<number> {
      const { rows: [row] } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications n WHERE n.recipient_id = $1 AND NOT n.read AND ${VISIBLE}`, [recipientId],
      )
      return row?.n ?? 0
    },

    /** Marks read every notification up to and including `upTo`, or all of them. */
    async markRead(recipientId: string, upTo?: string) {
      await db.query(
        'UPDATE notifications SET read = true WHERE recipient_id = $1 AND NOT read AND ($2::bigint IS NULL OR id <= $2::bigint)',
        [recipientId, upTo ?? null],
      )
    },
  }
}
export type NotificationRepository = ReturnType<typeof createNotificationRepository>
