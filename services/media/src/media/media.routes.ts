import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { errors } from '../errors.ts'
import { Media, MediaParams, NewMedia, Upload } from './media.schemas.ts'
import type { MediaService } from './media.service.ts'

const createErrors = errors.responses('VALIDATION_FAILED', 'MED_TOO_LARGE', ...SIGNED_IN, 'MED_STORE_UNAVAILABLE')
const readErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'MED_NOT_FOUND')
const completeErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'MED_NOT_FOUND', 'MED_NOT_UPLOADED', 'MED_STORE_UNAVAILABLE')
const security = [{ bearer: [] }]

export const mediaRoutes: FastifyPluginAsyncTypebox<{ media: MediaService }> = async (app, { media }) => {
  const authenticated = { onRequest: [app.authenticate] }

  app.post('/media', {
    ...authenticated,
    schema: {
      summary: 'Start an upload: a presigned POST form the file is sent with, straight to the object store',
      description: 'The form pins the key, the content type and the size; it is valid for minutes. Post it, then call POST /media/{id}/complete.',
      security, body: NewMedia, response: { 201: Upload, ...createErrors },
    },
  }, async (request, reply) => reply.code(201).send(await media.createUpload(request.user!.id, request.body)))

  app.post('/media/:id/complete', {
    ...authenticated,
    schema: {
      summary: 'Say the file was sent: it is checked and processed from the event stream',
      description: 'Idempotent. Answers the media as it stands (pending until the worker has processed it).',
      security, params: MediaParams, response: { 202: Media, ...completeErrors },
    },
  }, async (request, reply) => reply.code(202).send(await media.complete(request.user!.id, request.params.id)))

  app.get('/media/:id', {
    ...authenticated,
    schema: { summary: 'One of your uploads: pending, ready (with its files) or rejected (with the reason)', security, params: MediaParams, response: { 200: Media, ...readErrors } },
  }, async (request) => media.get(request.user!.id, request.params.id))
}
