import type { EventEnvelope } from '@starling/shared/events'
import type { MediaRepository } from './media.repository.ts'

/**
 * Kafka handler for the media topic: keeps the tweet service's copy of each upload's owner and
 * state, and the picture as a tweet shows it once processed; an upload deleted unused is forgotten. The topic is keyed by the upload, so
 * its events arrive in order; a redelivered one changes nothing.
 */
export function createMediaHandler(media: Pick<MediaRepository, 'record' | 'forget'>) {
  return async (event: EventEnvelope) => {
    if (event.type === 'media.uploaded') {
      await media.record({ id: event.payload.media_id, ownerId: event.payload.owner_id, state: 'pending' })
    } else if (event.type === 'media.processed') {
      const { media_id: id, owner_id: ownerId, url, preview_url, width, height, alt_text } = event.payload
      await media.record({ id, ownerId, state: 'ready', attachment: { id, url, preview_url, width, height, alt_text } })
    } else if (event.type === 'media.rejected') {
      await media.record({ id: event.payload.media_id, ownerId: event.payload.owner_id, state: 'rejected' })
    } else if (event.type === 'media.deleted' && event.payload.reason === 'unused') {
      await media.forget(event.payload.media_id)
    }
  }
}
