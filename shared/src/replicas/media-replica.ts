import type { EventEnvelope } from '../events/envelope.ts'
import type { Sql } from '../outbox/unit-of-work.ts'
import type { MediaAttachment } from '../schemas/public.ts'

export type MediaState = 'pending' | 'ready' | 'rejected'

/** What a service that takes pictures (on tweets, as avatars) knows of an upload. */
export interface ReplicaMedia {
  id: string
  owner_id: string
  state: MediaState
  /** The picture as shown, once ready. */
  attachment: MediaAttachment | null
}

/** Why `ownerId` cannot use this upload; undefined when they can. */
export type Unusable = 'missing' | 'not_owner' | 'rejected' | 'pending'
export function unusable(media: ReplicaMedia | undefined, ownerId: string): Unusable | undefined {
  if (!media) return 'missing'
  if (media.owner_id !== ownerId) return 'not_owner'
  if (media.state === 'rejected') return 'rejected'
  if (media.state === 'pending' || !media.attachment) return 'pending'
  return undefined
}

/**
 * The SQL of a service's copy of the uploads: a `media` table of its own migrations with at least
 * (id, owner_id, state, attachment). On the pool or on the client of a transaction.
 */
export function createMediaReplicaRepository(db: Sql) {
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
    /** Forgets an upload whose files were deleted: nothing can take it any more. */
    async forget(id: string) {
      await db.query('DELETE FROM media WHERE id = $1', [id])
    },
    async get(id: string): Promise<ReplicaMedia | undefined> {
      const { rows: [row] } = await db.query<ReplicaMedia>('SELECT id::text, owner_id::text, state, attachment FROM media WHERE id = $1', [id])
      return row
    },
  }
}
export type MediaReplicaRepository = ReturnType<typeof createMediaReplicaRepository>

/**
 * Kafka handler for the media topic: keeps the copy of each upload's owner and state, and the
 * picture as shown once processed; an upload whose files were deleted is forgotten. The topic is
 * keyed by the upload, so its events arrive in order; a redelivered one changes nothing.
 */
export function createMediaReplica(media: Pick<MediaReplicaRepository, 'record' | 'forget'>) {
  return async (event: EventEnvelope) => {
    if (event.type === 'media.uploaded') {
      await media.record({ id: event.payload.media_id, ownerId: event.payload.owner_id, state: 'pending' })
    } else if (event.type === 'media.processed') {
      const { media_id: id, owner_id: ownerId, url, preview_url, width, height, alt_text } = event.payload
      await media.record({ id, ownerId, state: 'ready', attachment: { id, url, preview_url, width, height, alt_text } })
    } else if (event.type === 'media.rejected') {
      await media.record({ id: event.payload.media_id, ownerId: event.payload.owner_id, state: 'rejected' })
    } else if (event.type === 'media.deleted') {
      await media.forget(event.payload.media_id)
    }
  }
}
