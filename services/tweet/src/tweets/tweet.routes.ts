import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import Type from 'typebox'
import type { TweetService } from './tweet.service.ts'
import { Tweet } from '@starling/shared/schemas'
import { ListQuery, NewTweet, PostHeaders, TweetPage, TweetParams, UserParams } from './tweet.schemas.ts'

const security = [{ bearer: [] }]

export const tweetRoutes: FastifyPluginAsyncTypebox<{ tweets: TweetService }> = async (app, { tweets }) => {
  app.post('/tweets/', {
    onRequest: [app.authenticate],
    schema: {
      summary: 'Post a tweet, a reply or a quote',
      security,
      headers: PostHeaders,
      body: NewTweet,
      // 422: the Idempotency-Key was used for another body. 503: the user service could not say who a new account is.
      response: { 201: Tweet, 400: Problem, 401: Problem, 404: Problem, 413: Problem, 415: Problem, 422: Problem, 503: Problem },
    },
  }, async (request, reply) => reply.code(201).send(await tweets.post(request.user!.id, request.body, request.headers['idempotency-key'])))

  app.get('/tweets/:id', {
    schema: { summary: 'A tweet', params: TweetParams, response: { 200: Tweet, 400: Problem, 404: Problem } },
  }, async (request) => tweets.get(request.params.id))

  app.delete('/tweets/:id', {
    onRequest: [app.authenticate],
    schema: { summary: 'Delete your tweet', security, params: TweetParams, response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 404: Problem } },
  }, async (request, reply) => {
    await tweets.delete(request.user!.id, request.params.id)
    return reply.code(204).send(null)
  })

  app.get('/tweets/:id/replies', {
    schema: { summary: 'The replies to a tweet, oldest first', params: TweetParams, querystring: ListQuery, response: { 200: TweetPage, 400: Problem, 404: Problem } },
  }, async (request) => tweets.replies(request.params.id, request.query))

  app.get('/users/:user_id/tweets', {
    schema: {
      summary: 'A user\'s tweets, newest first', params: UserParams, querystring: ListQuery,
      response: { 200: TweetPage, 400: Problem, 404: Problem, 503: Problem },
    },
  }, async (request) => tweets.byAuthor(request.params.user_id, request.query))
}
