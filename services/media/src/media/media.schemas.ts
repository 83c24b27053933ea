import { Id, Text } from '@starling/shared/schemas'
import Type from 'typebox'
import type { ImageType } from '../images/process-image.ts'

const ContentType = Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png'), Type.Literal('image/webp'), Type.Literal('image/gif')], { description: 'JPEG, PNG, WebP or GIF' })
// The types the processor reads, and no other.
true satisfies (Type.Static<typeof ContentType> extends ImageType ? (ImageType extends Type.Static<typeof ContentType> ? true : false) : false)

export const NewMedia = Type.Object({
  content_type: ContentType,
  // The 10 MB limit itself is the service's (MEDIA_MAX_BYTES), answered with MED_TOO_LARGE.
  size: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: 'the file\'s size in bytes, at most 10 MB' }),
  alt_text: Type.Optional(Text({ maxLength: 1500, description: 'what the picture shows, for those who cannot see it (up to 1500 characters)' })),
}, { additionalProperties: false })
export type NewMedia = Type.Static<typeof NewMedia>

export const MediaParams = Type.Object({ id: Id }, { additionalProperties: false })

export const Media = Type.Object({
  id: Id,
  state: Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('rejected')]),
  content_type: Type.String(),
  alt_text: Type.String(),
  reason: Type.Optional(Type.String({ description: 'why the file was refused (rejected only)' })),
  url: Type.Optional(Type.String({ description: 'the normalized original, WebP without metadata (ready only)' })),
  preview_url: Type.Optional(Type.String({ description: 'at most 680 pixels on its longest side (ready only)' })),
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
  placeholder: Type.Optional(Type.String({ description: 'a tiny WebP as a data: URL, shown while the preview loads' })),
  created_at: Type.String({ format: 'date-time' }),
})
export type Media = Type.Static<typeof Media>

export const Upload = Type.Object({
  id: Id,
  upload: Type.Object({
    url: Type.String({ description: 'POST a multipart/form-data form here: every field below, then the file as `file`' }),
    fields: Type.Record(Type.String(), Type.String()),
  }),
  expires_at: Type.String({ format: 'date-time' }),
})
export type Upload = Type.Static<typeof Upload>
