import type { Sql } from '@starling/shared/outbox'
import type { MediaAttachment } from '@starling/shared/schemas'

export type MediaState = 'pending' | 'ready' | 'rejected'

/** What the tweet service knows of an upload. */
export interface MediaRecord {
  id: string
  owner_id: string
  state: MediaState
  /** Set once ready. */
  attachment: MediaAttachment | null
  /** The tweet it is on, if any. */
  tweet_id: string | null
}

const COLUMNS = 'id::text, owner_id::text, state, attachment, tweet_id::text'

/** The replica of the uploads (migrations/1770000000000_media.sql), on the pool or a transaction. */
export function createMediaRepository(db: Sql) {
  return {
    /**
     * Records an upload's state. A settled state (ready, rejected) is never taken back by a pending
     * one, so a redelivered or late media.uploaded changes nothing.
     */
    async record(change: { id: string; ownerId: string; state: MediaState; attachment?: MediaAttachment }) {
      await db.query(
        `INSERT INTO media (id, owner_id, state, attachment) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, attachment = EXCLUDED.attachment
         WHERE media.state = 'pending' AND EXCLUDED.state <> 'pending'`,
        [change.id, change.ownerId, change.state, change.attachment ? JSON.stringify(change.attachment) : null],
      )
    },

    /** These uploads, locked until commit (so that two tweets cannot take the same one). */
    async lock(ids: string[]): Promise<MediaRecord[]> {
      const { rows } = await db.query<MediaRecord>(`SELECT ${COLUMNS} FROM media WHERE id = ANY ($1::bigint[]) FOR UPDATE`, [ids])
      return rows
    },

    /** Forgets an upload deleted unused: it can no longer go on a tweet. */
    async forget(id: string) {
      await db.query('DELETE FROM media WHERE id = $1 AND tweet_id IS NULL', [id])
    },

    async attach(ids: string[], tweetId: string) {
      await db.query('UPDATE media SET tweet_id = $2 WHERE id = ANY ($1::bigint[])', [ids, tweetId])
    },
  }
}
export type MediaRepository = ReturnType<typeof createMediaRepository>
