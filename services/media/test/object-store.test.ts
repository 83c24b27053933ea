import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testEnv } from '../../../test/setup/env.ts'
import { createS3ObjectStore, type S3Settings } from '../src/store/s3-object-store.ts'
import { photoWithGps, png } from './fixtures/images.ts'

// The stack's versitygw, addressed directly (the gateway's route to the bucket comes with the media service).
const env = testEnv.objectStore
const settings: S3Settings = { ...env, publicUrl: `${env.endpoint}/${env.bucket}` }
const store = createS3ObjectStore(settings)

/** Posts `file` as a browser would: the policy's fields first, the file last. */
async function upload(form: { url: string; fields: Record<string, string> }, file: Buffer, type: string) {
  const body = new FormData()
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value)
  body.append('file', new Blob([file], { type }), 'picture')
  const response = await fetch(form.url, { method: 'POST', body })
  return { status: response.status, text: await response.text() }
}

const policy = (overrides: Partial<{ contentType: string; maxBytes: number; expiresSeconds: number }> = {}) => ({
  key: `uploads/test-${randomUUID()}`, contentType: 'image/jpeg', maxBytes: 1_000_000, expiresSeconds: 60, ...overrides,
})

describe('the object store (versitygw) under presigned POST policies', () => {
  it('takes an upload that keeps to its policy, and keeps it private', async () => {
    const photo = await photoWithGps()
    const wanted = policy()
    const form = await store.presignUpload(wanted)
    expect(form.fields).toMatchObject({ key: wanted.key, 'Content-Type': 'image/jpeg' })
    expect((await upload(form, photo, 'image/jpeg')).status).toBe(204)
    expect(await store.size(wanted.key)).toBe(photo.length)
    expect(await store.read(wanted.key)).toEqual(photo)
    // Nobody reads an upload without a signature: only media/ is public.
    expect((await fetch(`${settings.publicUrl}/${wanted.key}`)).status).toBe(403)
    await store.remove([wanted.key])
    expect(await store.size(wanted.key)).toBeUndefined()
  })

  it('refuses a file over the policy\'s size, of another content type, or after the policy expired', async () => {
    const photo = await photoWithGps()
    const small = policy({ maxBytes: 100 })
    const tooBig = await upload(await store.presignUpload(small), photo, 'image/jpeg')
    expect(tooBig.status).toBe(400)
    expect(tooBig.text).toMatch(/EntityTooLarge/)

    const pngForm = await store.presignUpload(policy({ contentType: 'image/png' }))
    const otherType = await upload({ ...pngForm, fields: { ...pngForm.fields, 'Content-Type': 'image/jpeg' } }, photo, 'image/jpeg')
    expect(otherType.status).toBe(403)

    const expiring = policy({ expiresSeconds: 1 })
    const form = await store.presignUpload(expiring)
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    const late = await upload(form, photo, 'image/jpeg')
    expect(late.status).toBe(403)
    expect(late.text).toMatch(/expired/i)
    for (const key of [small.key, expiring.key]) expect(await store.size(key)).toBeUndefined()
  })

  it('serves what is under media/ to anyone, with long immutable caching', async () => {
    const key = `media/test-${randomUUID()}/original.webp`
    const bytes = await png()
    await store.write(key, bytes, 'image/png')
    const response = await fetch(store.publicUrl(key))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes)
    await store.remove([key])
    expect((await fetch(store.publicUrl(key))).status).toBe(404)
  })
})
