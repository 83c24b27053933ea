import type { Sql } from '@starling/shared/outbox'
import type { ReplicaMedia } from '@starling/shared/replicas'

/** An upload as the tweet service copies it, and the tweet it went on, if any. */
export interface MediaRecord extends ReplicaMedia {
  tweet_id: string | null
}

/**
 * What a tweet does with the copy of the uploads (migrations/1770000000000_media.sql; the media
 * events keep it, shared/src/replicas/media-replica.ts): take pictures, each for one tweet only.
 */
export function createMediaRepository(db: Sql) {
  return {
    /** These uploads, locked until commit (so that two tweets cannot take the same one). */
    async lock(ids: string[]): Promise<MediaRecord[]> {
      const { rows } = await db.query<MediaRecord>('SELECT id::text, owner_id::text, state, attachment, tweet_id::text FROM media WHERE id = ANY ($1::bigint[]) FOR UPDATE', [ids])
      return rows
    },
    async attach(ids: string[], tweetId: string) {
      await db.query('UPDATE media SET tweet_id = $2 WHERE id = ANY ($1::bigint[])', [ids, tweetId])
    },
  }
}
export type MediaRepository = ReturnType<typeof createMediaRepository>
