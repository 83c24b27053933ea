import { createEvent, mediaOfTweet, type EventEnvelope } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import { errors } from '../errors.ts'
import { ImageRejected, type ImageType, type ProcessedImage } from '../images/process-image.ts'
import type { ObjectStore } from '../store/object-store.ts'
import type { DeletedMedia, MediaRepository, MediaRow } from './media.repository.ts'
import type { Media, NewMedia, Upload } from './media.schemas.ts'

export const uploadKey = (id: string) => `uploads/${id}`
export const fileKeys = (id: string) => ({ original: `media/${id}/original.webp`, preview: `media/${id}/preview.webp` })

export interface MediaLimits {
  maxBytes: number
  uploadSeconds: number
  /** How old an upload no tweet or profile uses gets before it is deleted. */
  unusedSeconds: number
}

/** Uploads the sweep deletes per transaction. */
const SWEEP_BATCH = 100

/** A call to the store that failed for the store's sake: 503, never a 500. */
async function fromStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw errors.MED_STORE_UNAVAILABLE('The object store did not answer; try again shortly.', { cause: error, retryAfterSeconds: 5 })
  }
}

/**
 * Pictures: an upload policy for the browser to send the file straight to the store, the owner's
 * word that it arrived (checked against the store, then an event through the outbox), and the
 * worker's processing of that event into a checked, normalized original and preview.
 */
export function createMediaService(deps: {
  uow: UnitOfWork<{ media: MediaRepository }>
  media: MediaRepository
  store: ObjectStore
  images: (bytes: Buffer, declared: ImageType) => Promise<ProcessedImage>
  limits: MediaLimits
}) {
  const { uow, media, store, images, limits } = deps

  function view(row: MediaRow): Media {
    const base = { id: row.id, state: row.state, content_type: row.content_type, alt_text: row.alt_text, created_at: row.created_at }
    if (row.state === 'rejected') return { ...base, reason: row.reason! }
    if (row.state === 'pending') return base
    const keys = fileKeys(row.id)
    return { ...base, url: store.publicUrl(keys.original), preview_url: store.publicUrl(keys.preview), width: row.width!, height: row.height!, placeholder: row.placeholder! }
  }

  /** The owner's media; anyone else's is as missing as one that never was. */
  async function owned(ownerId: string, id: string) {
    const row = await media.find(id)
    if (!row || row.owner_id !== ownerId || row.deleted) throw errors.MED_NOT_FOUND(`You have no media with id ${id}.`)
    return row
  }

  return {
    async createUpload(ownerId: string, body: NewMedia): Promise<Upload> {
      if (body.size > limits.maxBytes) throw errors.MED_TOO_LARGE(`The file has ${body.size} bytes; uploads may have at most ${limits.maxBytes}.`, { errors: [{ field: 'size', message: `must be at most ${limits.maxBytes}` }] })
      const row = await media.create({ ownerId, contentType: body.content_type, size: body.size, altText: body.alt_text?.trim() ?? '' })
      const expires = new Date(Date.now() + limits.uploadSeconds * 1000)
      const upload = await fromStore(() => store.presignUpload({ key: uploadKey(row.id), contentType: body.content_type, maxBytes: body.size, expiresSeconds: limits.uploadSeconds }))
      return { id: row.id, upload, expires_at: expires.toISOString() }
    },

    get: async (ownerId: string, id: string) => view(await owned(ownerId, id)),

    /** The file was sent: checked against the store, then processed from the event. Idempotent. */
    async complete(ownerId: string, id: string): Promise<Media> {
      const row = await owned(ownerId, id)
      if (row.state !== 'pending' || row.uploaded_at) return view(row)
      const size = await fromStore(() => store.size(uploadKey(id)))
      if (size === undefined) throw errors.MED_NOT_UPLOADED('The store has no file for this media yet: post the upload form first.')
      await uow.run(async ({ media }, events) => {
        const uploadedAt = await media.markUploaded(id)
        if (uploadedAt) {
          events.publish(createEvent('media.uploaded', 1, id, { media_id: id, owner_id: ownerId, content_type: row.content_type, size, uploaded_at: uploadedAt }))
        }
      })
      return view(row)
    },

    /**
     * media.uploaded: reads the file, checks and converts it, stores the results and settles the
     * row with its event, then deletes the upload. A redelivered event finds the row settled.
     */
    async process(event: EventEnvelope<'media.uploaded'>) {
      const id = event.payload.media_id
      const settled = await uow.run(async ({ media }, events) => {
        const row = await media.lock(id)
        if (!row || row.state !== 'pending' || row.deleted) return false
        const bytes = await store.read(uploadKey(id))
        let outcome: ProcessedImage | ImageRejected
        try {
          if (!bytes) throw new ImageRejected('The file is no longer in the store.')
          outcome = await images(bytes, row.content_type as ImageType)
        } catch (error) {
          if (!(error instanceof ImageRejected)) throw error
          outcome = error
        }
        if (outcome instanceof ImageRejected) {
          const at = await media.settle(id, { state: 'rejected', reason: outcome.message })
          events.publish(createEvent('media.rejected', 1, id, { media_id: id, owner_id: row.owner_id, reason: outcome.message, rejected_at: at }))
          return true
        }
        const keys = fileKeys(id)
        await store.write(keys.original, outcome.original, 'image/webp')
        await store.write(keys.preview, outcome.preview, 'image/webp')
        const { width, height, placeholder } = outcome
        const at = await media.settle(id, { state: 'ready', width, height, placeholder })
        events.publish(createEvent('media.processed', 1, id, {
          media_id: id, owner_id: row.owner_id, url: store.publicUrl(keys.original), preview_url: store.publicUrl(keys.preview),
          width, height, alt_text: row.alt_text, placeholder, processed_at: at,
        }))
        return true
      })
      // What was sent is never served: only the checked files stay.
      if (settled) await store.remove([uploadKey(id)])
    },

    /** tweet.created: the pictures it carries are in use, so the sweep leaves them. */
    async tweetPosted(event: EventEnvelope<'tweet.created'>) {
      const ids = mediaOfTweet(event.payload).map((picture) => picture.id)
      if (ids.length > 0) await media.attach(ids, event.payload.tweet_id)
    },

    /** user.updated with an avatar: the picture is in use by the profile. */
    async avatarChosen(userId: string, mediaId: string) {
      await media.useAsAvatar(mediaId, userId)
    },

    /** tweet.deleted: its pictures are deleted, each announced by media.deleted (once, however often the event comes). */
    tweetDeleted: (event: EventEnvelope<'tweet.deleted'>) => deleted('tweet_deleted', (repository) => repository.deleteOfTweet(event.payload.tweet_id)),

    /** The scheduled sweep: uploads no tweet or profile used within `unusedSeconds` are deleted. Returns how many. */
    async sweep(): Promise<number> {
      let total = 0
      for (;;) {
        const count = await deleted('unused', (repository) => repository.deleteUnused(limits.unusedSeconds, SWEEP_BATCH))
        total += count
        if (count < SWEEP_BATCH) return total
      }
    },

    /** media.deleted: removes the files. Deleting what is already gone is no error, so a redelivery is harmless. */
    async removeFiles(event: EventEnvelope<'media.deleted'>) {
      const id = event.payload.media_id
      const keys = fileKeys(id)
      await store.remove([uploadKey(id), keys.original, keys.preview])
    },
  }

  /** Marks pictures deleted and publishes media.deleted for each, in one transaction; how many. */
  async function deleted(reason: 'tweet_deleted' | 'unused', mark: (repository: MediaRepository) => Promise<DeletedMedia[]>) {
    return uow.run(async ({ media }, events) => {
      const rows = await mark(media)
      for (const row of rows) {
        events.publish(createEvent('media.deleted', 1, row.id, { media_id: row.id, owner_id: row.owner_id, reason, deleted_at: row.deleted_at }))
      }
      return rows.length
    })
  }
}
export type MediaService = ReturnType<typeof createMediaService>
