import type { EventEnvelope } from '@starling/shared/events'
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
  const service = createMediaService({ uow, media, store, images, limits: { maxBytes: 1000, uploadSeconds: 300 } })
  const uploaded = () => uow.published.filter((e): e is EventEnvelope<'media.uploaded'> => e.type === 'media.uploaded')
  return { service, store, uow, uploaded }
}

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
})
