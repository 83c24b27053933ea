import type { Sql } from '@starling/shared/outbox'

export type MediaState = 'pending' | 'ready' | 'rejected'

export interface MediaRow {
  id: string
  owner_id: string
  content_type: string
  size: number
  alt_text: string
  state: MediaState
  reason: string | null
  width: number | null
  height: number | null
  placeholder: string | null
  created_at: string
  uploaded_at: string | null
  /** Its files are gone (with its tweet, or unused): as missing as one that never was. */
  deleted: boolean
}

/** A picture whose files are to be deleted, as media.deleted names it. */
export interface DeletedMedia {
  id: string
  owner_id: string
  deleted_at: string
}

export type Outcome =
  | { state: 'ready'; width: number; height: number; placeholder: string }
  | { state: 'rejected'; reason: string }

const COLUMNS = `id::text, owner_id::text, content_type, size, alt_text, state, reason, width, height, placeholder,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS uploaded_at, deleted_at IS NOT NULL AS deleted`
const DELETED = `id::text, owner_id::text, to_char(deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS deleted_at`

export function createMediaRepository(db: Sql) {
  return {
    async create(media: { ownerId: string; contentType: string; size: number; altText: string }): Promise<MediaRow> {
      const { rows: [row] } = await db.query<MediaRow>(
        `INSERT INTO media (owner_id, content_type, size, alt_text) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [media.ownerId, media.contentType, media.size, media.altText],
      )
      return row!
    },
    async find(id: string): Promise<MediaRow | undefined> {
      const { rows: [row] } = await db.query<MediaRow>(`SELECT ${COLUMNS} FROM media WHERE id = $1`, [id])
      return row
    },
    /** Locks the row for the rest of the transaction (one worker processes a file at a time). */
    async lock(id: string): Promise<MediaRow | undefined> {
      const { rows: [row] } = await db.query<MediaRow>(`SELECT ${COLUMNS} FROM media WHERE id = $1 FOR UPDATE`, [id])
      return row
    },
    /** Marks the file arrived; the time when this call did it, undefined when it already was. */
    async markUploaded(id: string): Promise<string | undefined> {
      const { rows: [row] } = await db.query<{ uploaded_at: string }>(
        `UPDATE media SET uploaded_at = now() WHERE id = $1 AND uploaded_at IS NULL
         RETURNING to_char(uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS uploaded_at`, [id],
      )
      return row?.uploaded_at
    },
    async settle(id: string, outcome: Outcome): Promise<string> {
      const { rows: [row] } = await db.query<{ processed_at: string }>(
        `UPDATE media SET state = $2, reason = $3, width = $4, height = $5, placeholder = $6, processed_at = now() WHERE id = $1
         RETURNING to_char(processed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS processed_at`,
        outcome.state === 'ready'
          ? [id, 'ready', null, outcome.width, outcome.height, outcome.placeholder]
          : [id, 'rejected', outcome.reason, null, null, null],
      )
      return row!.processed_at
    },
    /** Records the tweet these pictures went on (the tweet service checked they could). */
    async attach(ids: string[], tweetId: string) {
      await db.query('UPDATE media SET tweet_id = $2 WHERE id = ANY ($1::bigint[]) AND tweet_id IS NULL', [ids, tweetId])
    },
    async useAsAvatar(id: string, userId: string) {
      await db.query('UPDATE media SET avatar_of = $2 WHERE id = $1', [id, userId])
    },
    /** Marks the pictures of a deleted tweet deleted; those this call marked (none the second time). */
    async deleteOfTweet(tweetId: string): Promise<DeletedMedia[]> {
      const { rows } = await db.query<DeletedMedia>(
        `UPDATE media SET deleted_at = now() WHERE tweet_id = $1 AND deleted_at IS NULL RETURNING ${DELETED}`, [tweetId],
      )
      return rows
    },
    /**
     * Marks up to `limit` uploads older than `olderThanSeconds` that no tweet or profile uses
     * deleted, oldest first. Rows another sweep holds are skipped, so two workers never take the same one.
     */
    async deleteUnused(olderThanSeconds: number, limit: number): Promise<DeletedMedia[]> {
      const { rows } = await db.query<DeletedMedia>(
        `WITH unused AS (
           SELECT id FROM media
            WHERE tweet_id IS NULL AND avatar_of IS NULL AND deleted_at IS NULL AND created_at < now() - make_interval(secs => $1)
            ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE media SET deleted_at = now() FROM unused WHERE media.id = unused.id
         RETURNING media.id::text, media.owner_id::text, to_char(media.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS deleted_at`,
        [olderThanSeconds, limit],
      )
      return rows
    },
  }
}
export type MediaRepository = ReturnType<typeof createMediaRepository>
