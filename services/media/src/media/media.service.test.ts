import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { ImageRejected } from '../images/process-image.ts'
import { createMemoryObjectStore } from '../store/object-store.memory.ts'
import { createMemoryMediaRepository } from './media.repository.memory.ts'
import { createMediaService } from './media.service.ts'

const ADA = '1'
const EVE = '2'

function setup(images = async (bytes: Buffer) => {
  if (bytes.toString() !== 'a picture') throw new ImageRejected('The file is not an image that can be read.')
  return { original: Buffer.from('original'), preview: Buffer.from('preview'), width: 800, height: 600, placeholder: 'data:image/webp;base64,AA' }
}) {
  const media = createMemoryMediaRepository()
  const uow = createMemoryUnitOfWork({ media })
  const store = createMemoryObjectStore()
  const service = createMediaService({ uow, media, store, images, limits: { maxBytes: 1000, uploadSeconds: 300, unusedSeconds: 3600 } })
  const uploaded = () => uow.published.filter((e): e is EventEnvelope<'media.uploaded'> => e.type === 'media.uploaded')
  return { service, store, uow, uploaded, media }
}

/** An upload of Ada's, processed: its files are in the store. */
async function processed(context: ReturnType<typeof setup>) {
  const { service, store, uploaded } = context
  const { id } = await service.createUpload(ADA, { content_type: 'image/jpeg', size: 9 })
  await store.write(`uploads/${id}`, Buffer.from('a picture'), 'image/jpeg')
  await service.complete(ADA, id)
  await service.process(uploaded().find((e) => e.payload.media_id === id)!)
  return id
}

const at = '2026-01-01T00:00:00.000Z'
const posted = (tweetId: string, mediaIds: string[]) => createEvent('tweet.created', 2, tweetId, {
  tweet_id: tweetId, author_id: ADA, text: 'look', conversation_id: tweetId, reply_to_id: null, reply_to_author_id: null, quote_of_id: null, quote_of_author_id: null,
  mentions: [], hashtags: [], media: mediaIds.map((id) => ({ id, url: `u${id}`, preview_url: `p${id}`, width: 1, height: 1, alt_text: '' })), created_at: at,
})
const tweetGone = (tweetId: string) => createEvent('tweet.deleted', 1, tweetId, { tweet_id: tweetId, author_id: ADA, conversation_id: tweetId, deleted_at: at })

describe('media service', () => {
  it('hands out a policy for the declared type and size, and refuses a size over the limit', async () => {
    const { service, store } = setup()
    const upload = await service.createUpload(ADA, { content_type: 'image/png', size: 500, alt_text: '  a cat  ' })
    expect(upload.upload.fields.key).toBe(`uploads/${upload.id}`)
    expect(store.policies.get(`uploads/${upload.id}`)).toEqual({ contentType: 'image/png', maxBytes: 500 })
    expect(await service.get(ADA, upload.id)).toMatchObject({ state: 'pending', alt_text: 'a cat', content_type: 'image/png' })
    await expect(service.createUpload(ADA, { content_type: 'image/png', size: 1001 })).rejects.toMatchObject({ code: 'MED_TOO_LARGE', status: 400 })
  })

  it('shows an upload to its owner only', async () => {
    const { service } = setup()
    const { id } = await service.createUpload(ADA, { content_type: 'image/jpeg', size: 9 })
    await expect(service.get(EVE, id)).rejects.toMatchObject({ code: 'MED_NOT_FOUND' })
    await expect(service.complete(EVE, id)).rejects.toMatchObject({ code: 'MED_NOT_FOUND' })
  })

  it('publishes media.uploaded once the store has the file, once however often it is said', async () => {
    const { service, store, uploaded } = setup()
    const { id } = await service.createUpload(ADA, { content_type: 'image/jpeg', size: 9 })
    await expect(service.complete(ADA, id)).rejects.toMatchObject({ code: 'MED_NOT_UPLOADED', status: 409 })
    await store.write(`uploads/${id}`, Buffer.from('a picture'), 'image/jpeg')
    await service.complete(ADA, id)
    await service.complete(ADA, id)
    expect(uploaded().map((e) => e.payload)).toEqual([expect.objectContaining({ media_id: id, owner_id: ADA, size: 9, content_type: 'image/jpeg' })])
  })

  it('processes an upload into public files, deletes what was sent, and does nothing the second time', async () => {
    const { service, store, uow, uploaded } = setup()
    const { id } = await service.createUpload(ADA, { content_type: 'image/jpeg', size: 9, alt_text: 'a cat' })
    await store.write(`uploads/${id}`, Buffer.from('a picture'), 'image/jpeg')
    await service.complete(ADA, id)
    await service.process(uploaded()[0]!)
    await service.process(uploaded()[0]!)

    expect(await service.get(ADA, id)).toMatchObject({
      state: 'ready', width: 800, height: 600, url: `http://gateway/starling-media/media/${id}/original.webp`, preview_url: `http://gateway/starling-media/media/${id}/preview.webp`,
    })
    expect([...store.objects.keys()].sort()).toEqual([`media/${id}/original.webp`, `media/${id}/preview.webp`])
    expect(uow.published.filter((e) => e.type === 'media.processed').map((e) => e.payload)).toEqual([expect.objectContaining({ media_id: id, alt_text: 'a cat', width: 800 })])
  })

  it('rejects a file that is not what it claims, with the reason, and keeps none of it', async () => {
    const { service, store, uow, uploaded } = setup()
    const { id } = await service.createUpload(ADA, { content_type: 'image/png', size: 9 })
    await store.write(`uploads/${id}`, Buffer.from('<html>'), 'image/png')
    await service.complete(ADA, id)
    await service.process(uploaded()[0]!)
    expect(await service.get(ADA, id)).toMatchObject({ state: 'rejected', reason: 'The file is not an image that can be read.' })
    expect(store.objects.size).toBe(0)
    expect(uow.published.filter((e) => e.type === 'media.rejected')).toHaveLength(1)
  })

  it('leaves the upload pending when processing fails for another reason than the file, so the event is tried again', async () => {
    const { service, store, uploaded } = setup(async () => { throw new Error('store write timed out') })
    const { id } = await service.createUpload(ADA, { content_type: 'image/jpeg', size: 9 })
    await store.write(`uploads/${id}`, Buffer.from('a picture'), 'image/jpeg')
    await service.complete(ADA, id)
    await expect(service.process(uploaded()[0]!)).rejects.toThrow('store write timed out')
    expect(await service.get(ADA, id)).toMatchObject({ state: 'pending' })
    expect(store.objects.has(`uploads/${id}`)).toBe(true)
  })

  it('deletes a deleted tweet\'s pictures through media.deleted, once however often the event comes, and their files with it', async () => {
    const context = setup()
    const { service, store, uow } = context
    const [first, second, other] = [await processed(context), await processed(context), await processed(context)]
    await service.tweetPosted(posted('500', [first, second]))
    await service.tweetDeleted(tweetGone('500'))
    await service.tweetDeleted(tweetGone('500'))
    const deletions = uow.published.filter((e): e is EventEnvelope<'media.deleted'> => e.type === 'media.deleted')
    expect(deletions.map((e) => [e.payload.media_id, e.payload.reason])).toEqual([[first, 'tweet_deleted'], [second, 'tweet_deleted']])
    for (const event of [...deletions, ...deletions]) await service.removeFiles(event)
    expect([...store.objects.keys()].sort()).toEqual([`media/${other}/original.webp`, `media/${other}/preview.webp`])
    await expect(service.get(ADA, first)).rejects.toMatchObject({ code: 'MED_NOT_FOUND' })
  })

  it('sweeps uploads no tweet or profile used once they are older than the limit, and leaves the used and the young', async () => {
    const context = setup()
    const { service, uow, media } = context
    const [onTweet, avatar, unused, young] = [await processed(context), await processed(context), await processed(context), await processed(context)]
    await service.tweetPosted(posted('600', [onTweet]))
    await service.avatarChosen(ADA, avatar)
    for (const id of [onTweet, avatar, unused]) media.age(id, 3601)
    expect(await service.sweep()).toBe(1)
    expect(await service.sweep()).toBe(0)
    expect(uow.published.filter((e) => e.type === 'media.deleted').map((e) => e.payload)).toEqual([expect.objectContaining({ media_id: unused, reason: 'unused' })])
    expect((await service.get(ADA, young)).state).toBe('ready')
  })
})
