import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { Tweet } from '@starling/shared/schemas'
import Type from 'typebox'
import { errors } from '../errors.ts'
import { ListQuery, NewTweet, PostHeaders, TweetPage, TweetParams, UserParams } from './tweet.schemas.ts'
import type { TweetService } from './tweet.service.ts'

// TWT_NOT_FOUND: a retry with an Idempotency-Key whose tweet was deleted since.
// TWT_USER_SERVICE_UNAVAILABLE: the user service could not say who a new account is (USER_LOOKUP_FALLBACK).
const postErrors = errors.responses('VALIDATION_FAILED', 'TWT_TEXT_LENGTH', 'TWT_TEXT_INVALID', 'TWT_REPLY_TARGET_MISSING', 'TWT_QUOTE_TARGET_MISSING',
  ...SIGNED_IN, 'TWT_AUTHOR_UNKNOWN', 'TWT_NOT_FOUND', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'TWT_IDEMPOTENCY_MISMATCH', 'TWT_USER_SERVICE_UNAVAILABLE')
// Reads take a token optionally (for the reader's own state, `viewer`), but one that is sent must be good: a bad one is refused, not ignored.
const TOKEN_SENT = ['AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_REVOKED'] as const
const readErrors = errors.responses('VALIDATION_FAILED', ...TOKEN_SENT, 'TWT_NOT_FOUND', 'RATE_LIMITED')
const deleteErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'TWT_NOT_AUTHOR', 'TWT_NOT_FOUND')
const listErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...TOKEN_SENT, 'TWT_NOT_FOUND', 'RATE_LIMITED')
const authorListErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...TOKEN_SENT, 'TWT_USER_NOT_FOUND', 'RATE_LIMITED', 'TWT_USER_SERVICE_UNAVAILABLE')
const security = [{ bearer: [] }]
const optionalSecurity: Record<string, string[]>[] = [{}, { bearer: [] }]

export const tweetRoutes: FastifyPluginAsyncTypebox<{ tweets: TweetService }> = async (app, { tweets }) => {
  const identified = { onRequest: [app.identify] }

  app.post('/tweets/', {
    onRequest: [app.authenticate],
    schema: { summary: 'Post a tweet, a reply or a quote', security, headers: PostHeaders, body: NewTweet, response: { 201: Tweet, ...postErrors } },
  }, async (request, reply) => reply.code(201).send(await tweets.post(request.user!.id, request.body, request.headers['idempotency-key'])))

  app.get('/tweets/:id', {
    ...identified,
    schema: { summary: 'A tweet', security: optionalSecurity, params: TweetParams, response: { 200: Tweet, ...readErrors } },
  }, async (request) => tweets.get(request.params.id, request.user?.id ?? null))

  app.delete('/tweets/:id', {
    onRequest: [app.authenticate],
    schema: { summary: 'Delete your tweet', security, params: TweetParams, response: { 204: Type.Null(), ...deleteErrors } },
  }, async (request, reply) => {
    await tweets.delete(request.user!.id, request.params.id)
    return reply.code(204).send(null)
  })

  app.get('/tweets/:id/replies', {
    ...identified,
    schema: {
      summary: 'The replies to a tweet, oldest first', security: optionalSecurity, params: TweetParams, querystring: ListQuery,
      response: { 200: TweetPage, ...listErrors },
    },
  }, async (request) => tweets.replies(request.params.id, request.query, request.user?.id ?? null))

  app.get('/users/:user_id/tweets', {
    ...identified,
    schema: {
      summary: 'A user\'s tweets, newest first', security: optionalSecurity, params: UserParams, querystring: ListQuery,
      response: { 200: TweetPage, ...authorListErrors },
    },
  }, async (request) => tweets.byAuthor(request.params.user_id, request.query, request.user?.id ?? null))
}
