import { waitFor } from '@starling/shared/testing'
import { expect } from 'vitest'
import type { Account } from './accounts.ts'
import { gateway, readJson } from './http.ts'

/** POST /media's answer: the upload's id and the presigned form. */
export interface Upload {
  id: string
  upload: { url: string; fields: Record<string, string> }
  expires_at: string
}

export const startUpload = (who: Account, body: unknown) => gateway('/media', { token: who.token, body })

/** Posts the presigned form as a browser does: its fields (with `fields` over them), then the file. */
export async function postForm(form: Upload['upload'], file: Buffer, type: string, fields: Record<string, string> = {}) {
  const body = new FormData()
  for (const [name, value] of Object.entries({ ...form.fields, ...fields })) body.append(name, value)
  body.append('file', new Blob([file], { type }), 'picture')
  return readJson(await fetch(form.url, { method: 'POST', body }))
}

/** Asks for a policy, sends `file` under it and says so; the upload's id. */
export async function sendPicture(who: Account, file: Buffer, contentType: string, altText?: string) {
  const started = await startUpload(who, { content_type: contentType, size: file.length, ...(altText ? { alt_text: altText } : {}) })
  expect(started.status).toBe(201)
  const upload = started.body as Upload
  expect((await postForm(upload.upload, file, contentType)).status).toBe(204)
  const completed = await gateway(`/media/${upload.id}/complete`, { method: 'POST', token: who.token })
  expect(completed.status).toBe(202)
  return upload.id
}

/** The media once processed (ready or rejected), as its owner reads it. */
export const settled = (who: Account, id: string) => waitFor(async () => {
  const media = await gateway(`/media/${id}`, { token: who.token })
  return media.body.state !== 'pending' && media.body
}, { what: `media ${id} processed`, timeoutMs: 30_000 })
