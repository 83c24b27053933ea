import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { hasGps, photoWithGps, pixelBomb, png, truncatedJpeg } from '../../services/media/test/fixtures/images.ts'
import { newAccount } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'
import { postForm, sendPicture, settled, startUpload, type Upload } from '../setup/media.ts'

describe('pictures through the gateway', () => {
  it('goes from a presigned upload to checked, public files without the photo\'s location', async () => {
    const ada = await newAccount('media')
    const photo = await photoWithGps(1600, 1200)
    expect(hasGps(photo)).toBe(true)
    const started = await startUpload(ada, { content_type: 'image/jpeg', size: photo.length, alt_text: 'A blue square' })
    expect(started.status).toBe(201)
    const upload = started.body as Upload
    // The browser posts to the same origin: the gateway proxies the bucket's path unchanged.
    expect(upload.upload.url).toBe(`${testEnv.gatewayUrl}/starling-media`)
    expect(Date.parse(upload.expires_at) - Date.now()).toBeGreaterThan(60_000)

    expect((await gateway(`/media/${upload.id}/complete`, { method: 'POST', token: ada.token })).body.code).toBe('MED_NOT_UPLOADED')
    expect((await postForm(upload.upload, photo, 'image/jpeg')).status).toBe(204)
    const completed = await gateway(`/media/${upload.id}/complete`, { method: 'POST', token: ada.token })
    expect(completed).toMatchObject({ status: 202, body: { id: upload.id, alt_text: 'A blue square' } })

    const media = await settled(ada, upload.id)
    expect(media).toMatchObject({ state: 'ready', width: 1600, height: 1200, alt_text: 'A blue square', content_type: 'image/jpeg' })
    expect(media.placeholder).toMatch(/^data:image\/webp;base64,/)

    const served = await fetch(media.url)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/webp')
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const original = Buffer.from(await served.arrayBuffer())
    expect(hasGps(original)).toBe(false)
    const metadata = await sharp(original).metadata()
    expect(metadata).toMatchObject({ format: 'webp', width: 1600, height: 1200 })
    expect(metadata.exif).toBeUndefined()
    const preview = await sharp(Buffer.from(await (await fetch(media.preview_url)).arrayBuffer())).metadata()
    expect(preview).toMatchObject({ format: 'webp', width: 680, height: 510 })

    // What was sent is gone, and was never public; the rest of the bucket is not reachable.
    expect((await gateway(`/starling-media/uploads/${upload.id}`)).status).toBe(404)
    expect((await gateway('/starling-media')).status).toBe(405)
    expect((await gateway('/starling-media/media/', { method: 'DELETE' })).status).toBe(405)
  })

  it('shows an upload to its owner only', async () => {
    const [ada, eve] = await Promise.all([newAccount('media'), newAccount('media')])
    const id = await sendPicture(ada, await png(), 'image/png')
    const theirs = await gateway(`/media/${id}`, { token: eve.token })
    expect(theirs).toMatchObject({ status: 404, body: { code: 'MED_NOT_FOUND' } })
    expect(theirs.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await gateway(`/media/${id}/complete`, { method: 'POST', token: eve.token })).status).toBe(404)
    expect((await gateway(`/media/${id}`)).status).toBe(401)
    expect((await settled(ada, id)).state).toBe('ready')
  })

  it.each([
    ['PNG bytes declared as JPEG', png, 'image/jpeg', /PNG image, not the image\/jpeg/],
    ['a web page declared as PNG', async () => Buffer.from('<!doctype html><title>hi</title>'), 'image/png', /not an image/],
    ['a JPEG cut short', truncatedJpeg, 'image/jpeg', /damaged or cut short/],
    ['a 50,000 × 50,000 pixel bomb', async () => pixelBomb(), 'image/png', /50000 × 50000 pixels/],
  ] as const)('rejects %s with its reason, and serves nothing of it', async (_, file, type, reason) => {
    const ada = await newAccount('media')
    const id = await sendPicture(ada, await file(), type)
    const media = await settled(ada, id)
    expect(media).toMatchObject({ state: 'rejected' })
    expect(media.reason).toMatch(reason)
    expect(media.url).toBeUndefined()
    expect((await fetch(`${testEnv.gatewayUrl}/starling-media/media/${id}/original.webp`)).status).toBe(404)
  })

  it('refuses uploads the policy does not allow, each as problem+json', async () => {
    const ada = await newAccount('media')
    const tooLarge = await startUpload(ada, { content_type: 'image/png', size: 10 * 1024 * 1024 + 1 })
    expect(tooLarge).toMatchObject({ status: 400, body: { code: 'MED_TOO_LARGE' } })
    const notAnImage = await startUpload(ada, { content_type: 'text/html', size: 100 })
    expect(notAnImage).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } })

    const photo = await photoWithGps()
    const small = (await startUpload(ada, { content_type: 'image/jpeg', size: 100 })).body as Upload
    const over = await postForm(small.upload, photo, 'image/jpeg')
    expect(over).toMatchObject({ status: 400, body: { code: 'UPLOAD_INVALID' } })
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/)

    const jpeg = (await startUpload(ada, { content_type: 'image/jpeg', size: photo.length })).body as Upload
    const otherType = await postForm(jpeg.upload, photo, 'image/png', { 'Content-Type': 'image/png' })
    expect(otherType).toMatchObject({ status: 403, body: { code: 'UPLOAD_REFUSED' } })
    const otherKey = await postForm(jpeg.upload, photo, 'image/jpeg', { key: `media/${jpeg.id}/original.webp` })
    expect(otherKey).toMatchObject({ status: 403, body: { code: 'UPLOAD_REFUSED' } })
    // Nothing arrived under either policy.
    for (const id of [small.id, jpeg.id]) expect((await gateway(`/media/${id}/complete`, { method: 'POST', token: ada.token })).body.code).toBe('MED_NOT_UPLOADED')
  })
})
