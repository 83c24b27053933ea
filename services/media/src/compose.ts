import { csv } from '@starling/shared/config'
import { createPostgresPool } from '@starling/shared/db'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { servicePlatform, type Worker } from '@starling/shared/lifecycle'
import { createOutboxRelay, createPgUnitOfWork, outboxBacklog } from '@starling/shared/outbox'
import type { Logger } from 'pino'
import type { MediaConfig } from './config.ts'
import { processImage } from './images/process-image.ts'
import { periodic } from './media/periodic.ts'
import { createMediaRepository } from './media/media.repository.ts'
import { createMediaService } from './media/media.service.ts'
import { createS3ObjectStore, ensureBucket, s3Client, type S3Settings } from './store/s3-object-store.ts'

const SERVICE = 'media'

/** The shape of a processed picture: an original of at most 4096 pixels a side, a preview of 680. */
const SIDES = { originalSide: 4096, previewSide: 680 }

/**
 * The media service's dependencies, built once per process: server.ts serves `media` over HTTP,
 * worker.ts runs `worker` (the outbox relay and the processing of uploads).
 */
export function compose(config: MediaConfig, options: { logger?: Logger } = {}) {
  const platform = servicePlatform(SERVICE, config, options)
  const { logger, metrics } = platform
  const pool = createPostgresPool(config, logger)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })
  const settings: S3Settings = {
    endpoint: config.S3_ENDPOINT, region: config.S3_REGION, bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY, publicUrl: config.S3_PUBLIC_URL,
  }
  const client = s3Client(settings)
  const media = createMediaService({
    uow: createPgUnitOfWork(pool, (sql) => ({ media: createMediaRepository(sql) })),
    media: createMediaRepository(pool),
    store: createS3ObjectStore(settings, client),
    images: (bytes, declared) => processImage(bytes, declared, { maxPixels: config.MEDIA_MAX_PIXELS, ...SIDES }),
    limits: { maxBytes: config.MEDIA_MAX_BYTES, uploadSeconds: config.MEDIA_UPLOAD_SECONDS, unusedSeconds: config.MEDIA_UNUSED_SECONDS },
  })
  // The scheduled job: unused uploads are deleted through media.deleted, like a deleted tweet's pictures.
  const sweep = periodic(config.MEDIA_SWEEP_SECONDS * 1000, async () => {
    const count = await media.sweep()
    if (count > 0) logger.info({ count }, 'unused uploads deleted')
  }, (error) => logger.warn({ reason: error.message }, 'sweep of unused uploads failed; trying again at the next run'))

  const relay = createOutboxRelay({ pool, bus, logger, metrics })
  const worker: Worker = {
    async start() {
      await ensureBucket(client, settings.bucket)
      await relay.start()
      // One file at a time per partition: decoding is the costly part, and it is bounded this way.
      await bus.subscribe({ group: 'media-processing', topics: [topics.media.name], handle: async (event) => {
        if (event.type === 'media.uploaded') await media.process(event)
        if (event.type === 'media.deleted') await media.removeFiles(event)
      } })
      // Where pictures are used: on tweets (and gone with them) and as avatars.
      await bus.subscribe({ group: 'media-usage', topics: [topics.tweets.name, topics.users.name], handle: async (event) => {
        if (event.type === 'tweet.created') await media.tweetPosted(event)
        if (event.type === 'tweet.deleted') await media.tweetDeleted(event)
        if (event.type === 'user.updated' && 'avatar_media_id' in event.payload && event.payload.avatar_media_id) {
          await media.avatarChosen(event.payload.user_id, event.payload.avatar_media_id)
        }
      } })
      sweep.start()
    },
    async stop() {
      await sweep.stop()
      await relay.stop()
    },
  }

  return {
    ...platform,
    media,
    worker,
    checks: { postgres: () => pool.query('SELECT 1') },
    reports: { kafka: bus.ping, outbox: () => outboxBacklog(pool) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      client.destroy()
      await pool.end()
    },
  }
}
export type MediaDeps = ReturnType<typeof compose>
