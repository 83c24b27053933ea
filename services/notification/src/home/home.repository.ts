import type { EventEnvelope } from '@starling/shared/events'
import type { Sql } from '@starling/shared/outbox'
import { visible } from '../notifications/notification.repository.ts'

/**
 * What live home-timeline tweets need: the copy of the follows, and who was sent which tweet. On
 * the pool (the reads before an event's transaction) or on a unit of work's transaction.
 */
export function createHomeRepository(db: Sql) {
  return {
    /** Applies a follow or an unfollow (the same change twice is one); other events are ignored. */
    async handle(event: EventEnvelope) {
      if (event.type === 'follow.created') {
        await db.query('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [event.payload.follower_id, event.payload.followee_id])
      } else if (event.type === 'follow.deleted') {
        await db.query('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [event.payload.follower_id, event.payload.followee_id])
      }
    },

    /** Up to `limit` followers of the author. */
    async followers(authorId: string, limit: number): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>('SELECT follower_id::text AS id FROM follows WHERE followee_id = $1 LIMIT $2', [authorId, limit])
      return rows.map((row) => row.id)
    },

    /** Which of these users follow the author (one primary-key probe each). */
    async followersAmong(authorId: string, userIds: string[]): Promise<string[]> {
      if (userIds.length === 0) return []
      const { rows } = await db.query<{ id: string }>(
        'SELECT follower_id::text AS id FROM follows WHERE follower_id = ANY($2::bigint[]) AND followee_id = $1', [authorId, userIds],
      )
      return rows.map((row) => row.id)
    },

    /**
     * Those of `userIds` who may see the author's tweet: as for notifications, not when either
     * blocked the other or the reader muted the author, and nobody once the tweet was deleted.
     */
    async mayRead(tweetId: string, authorId: string, userIds: string[]): Promise<string[]> {
      if (userIds.length === 0) return []
      const { rows } = await db.query<{ id: string }>(
        `SELECT r::text AS id FROM unnest($3::bigint[]) AS r WHERE ${visible('r', '$2::bigint', '$1::bigint')}`, [tweetId, authorId, userIds],
      )
      return rows.map((row) => row.id)
    },

    /** Records that the tweet was sent to these users. */
    async sent(tweetId: string, userIds: string[]) {
      await db.query('INSERT INTO live_tweets (tweet_id, recipient_ids) VALUES ($1, $2::bigint[]) ON CONFLICT DO NOTHING', [tweetId, userIds])
    },

    /** Forgets whom the tweet was sent to, and answers who they were. */
    async takeRecipients(tweetId: string): Promise<string[]> {
      const { rows: [row] } = await db.query<{ ids: string[] }>('DELETE FROM live_tweets WHERE tweet_id = $1 RETURNING recipient_ids::text[] AS ids', [tweetId])
      return row?.ids ?? []
    },
  }
}
export type HomeRepository = ReturnType<typeof createHomeRepository>
