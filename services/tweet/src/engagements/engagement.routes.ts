import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { errors } from '../errors.ts'
import { TweetParams } from '../tweets/tweet.schemas.ts'
import { Liking, Retweeting } from './engagement.schemas.ts'
import type { EngagementService } from './engagement.service.ts'

const changeErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'TWT_NOT_FOUND')
const security = [{ bearer: [] }]

export const engagementRoutes: FastifyPluginAsyncTypebox<{ engagements: EngagementService }> = async (app, { engagements }) => {
  const authenticated = { onRequest: [app.authenticate] }

  app.post('/tweets/:id/like', {
    ...authenticated,
    schema: { summary: 'Like a tweet (again is a no-op)', security, params: TweetParams, response: { 200: Liking, ...changeErrors } },
  }, async (request) => engagements.like(request.user!.id, request.params.id))

  app.delete('/tweets/:id/like', {
    ...authenticated,
    schema: { summary: 'Take back a like (none is a no-op)', security, params: TweetParams, response: { 200: Liking, ...changeErrors } },
  }, async (request) => engagements.unlike(request.user!.id, request.params.id))

  app.post('/tweets/:id/retweet', {
    ...authenticated,
    schema: { summary: 'Retweet a tweet (again is a no-op)', security, params: TweetParams, response: { 200: Retweeting, ...changeErrors } },
  }, async (request) => engagements.retweet(request.user!.id, request.params.id))

  app.delete('/tweets/:id/retweet', {
    ...authenticated,
    schema: { summary: 'Undo a retweet (none is a no-op)', security, params: TweetParams, response: { 200: Retweeting, ...changeErrors } },
  }, async (request) => engagements.unretweet(request.user!.id, request.params.id))
}
