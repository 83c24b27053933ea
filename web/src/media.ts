// Pictures: the browser sends the file straight to the object store under the presigned policy
// POST /media hands out (through the gateway, same origin), says it arrived, and waits while the
// media service checks and processes it.
import { ApiError, type Media } from './api.ts'
import { api } from './session.ts'

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif']
export const MAX_PICTURES = 4
export const MAX_BYTES = 10 * 1024 * 1024

interface Upload { id: string; upload: { url: string; fields: Record<string, string> } }

/** Why this file cannot be sent, before anything is sent; null when it can. */
export function refusal(file: File): string | null {
  if (!IMAGE_TYPES.includes(file.type)) return `${file.name || 'That file'} is not a JPEG, PNG, WebP or GIF picture.`
  if (file.size > MAX_BYTES) return `${file.name || 'That picture'} is over 10 MB.`
  return null
}

const processing = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Uploads one picture with its alt text and waits until it is ready; a refused file throws with the service's reason. */
export async function uploadPicture(file: File, altText: string): Promise<Media> {
  const started = await api<Upload>('POST', '/media', { body: { content_type: file.type, size: file.size, ...(altText.trim() ? { alt_text: altText.trim() } : {}) } })
  const form = new FormData()
  for (const [name, value] of Object.entries(started.upload.fields)) form.append(name, value)
  form.append('file', file)
  const sent = await fetch(started.upload.url, { method: 'POST', body: form, credentials: 'omit' }).catch(() => undefined)
  if (!sent?.ok) {
    const problem = await sent?.json().catch(() => undefined) as { detail?: string } | undefined
    throw new Error(problem?.detail ?? 'The picture could not be sent. Try again.')
  }
  await api('POST', `/media/${started.id}/complete`)
  for (let wait = 200; ; wait = Math.min(wait * 2, 2000)) {
    const media = await api<Media>('GET', `/media/${started.id}`)
    if (media.state === 'ready') return media
    if (media.state === 'rejected') throw new Error(`${file.name || 'That picture'} was refused: ${media.reason ?? 'it could not be read'}.`)
    await processing(wait)
  }
}

/**
 * A write that names pictures: the service learns that they are ready a moment after GET /media
 * says so, and answers 409 with Retry-After until then; this tries again a few times.
 */
export async function whenPicturesKnown<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (error) {
      const notYet = error instanceof ApiError && error.status === 409 && error.code.endsWith('_MEDIA_NOT_READY')
      if (!notYet || attempt >= 10) throw error
      await processing(500)
    }
  }
}
