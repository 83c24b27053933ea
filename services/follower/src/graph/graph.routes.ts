import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { errors } from '../errors.ts'
import { Blocking, Following, FollowPage, ListQuery, Muting, RelationPage, Relationship, Target, UserParams } from './graph.schemas.ts'
import type { GraphService } from './graph.service.ts'

// FLW_USER_SERVICE_UNAVAILABLE: the user service could not say whether an id unknown here exists.
const changeErrors = errors.responses('VALIDATION_FAILED', 'FLW_SELF', ...SIGNED_IN, 'FLW_USER_NOT_FOUND', 'FLW_USER_SERVICE_UNAVAILABLE')
const followErrors = errors.responses('VALIDATION_FAILED', 'FLW_SELF', ...SIGNED_IN, 'FLW_BLOCKED', 'FLW_USER_NOT_FOUND', 'FLW_USER_SERVICE_UNAVAILABLE')
const listErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', 'FLW_USER_NOT_FOUND', 'RATE_LIMITED', 'FLW_USER_SERVICE_UNAVAILABLE')
const relationshipErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'FLW_USER_NOT_FOUND', 'FLW_USER_SERVICE_UNAVAILABLE')
const ownListErrors = errors.responses('VALIDATION_FAILED', 'INVALID_CURSOR', ...SIGNED_IN)
const security = [{ bearer: [] }]

export const graphRoutes: FastifyPluginAsyncTypebox<{ graph: GraphService }> = async (app, { graph }) => {
  const authenticated = { onRequest: [app.authenticate] }

  app.post('/follow/', {
    ...authenticated,
    schema: { summary: 'Follow a user', security, body: Target, response: { 200: Following, ...followErrors } },
  }, async (request) => graph.follow(request.user!.id, request.body.user_id))

  app.post('/unfollow/', {
    ...authenticated,
    schema: { summary: 'Stop following a user', security, body: Target, response: { 200: Following, ...changeErrors } },
  }, async (request) => graph.unfollow(request.user!.id, request.body.user_id))

  app.post('/block/', {
    ...authenticated,
    schema: { summary: 'Block a user: ends the follows both ways and keeps them from following you', security, body: Target, response: { 200: Blocking, ...changeErrors } },
  }, async (request) => graph.block(request.user!.id, request.body.user_id))

  app.post('/unblock/', {
    ...authenticated,
    schema: { summary: 'Unblock a user', security, body: Target, response: { 200: Blocking, ...changeErrors } },
  }, async (request) => graph.unblock(request.user!.id, request.body.user_id))

  app.post('/mute/', {
    ...authenticated,
    schema: { summary: 'Mute a user', security, body: Target, response: { 200: Muting, ...changeErrors } },
  }, async (request) => graph.mute(request.user!.id, request.body.user_id))

  app.post('/unmute/', {
    ...authenticated,
    schema: { summary: 'Unmute a user', security, body: Target, response: { 200: Muting, ...changeErrors } },
  }, async (request) => graph.unmute(request.user!.id, request.body.user_id))

  app.get('/followers/:user_id', {
    schema: { summary: 'Who follows a user, newest first', params: UserParams, querystring: ListQuery, response: { 200: FollowPage, ...listErrors } },
  }, async (request) => graph.followers(request.params.user_id, request.query))

  app.get('/following/:user_id', {
    schema: { summary: 'Whom a user follows, newest first', params: UserParams, querystring: ListQuery, response: { 200: FollowPage, ...listErrors } },
  }, async (request) => graph.following(request.params.user_id, request.query))

  app.get('/blocks', {
    ...authenticated,
    schema: { summary: 'Whom you have blocked, newest first', security, querystring: ListQuery, response: { 200: RelationPage, ...ownListErrors } },
  }, async (request) => graph.blocks(request.user!.id, request.query))

  app.get('/mutes', {
    ...authenticated,
    schema: { summary: 'Whom you have muted, newest first', security, querystring: ListQuery, response: { 200: RelationPage, ...ownListErrors } },
  }, async (request) => graph.mutes(request.user!.id, request.query))

  app.get('/relationships/:user_id', {
    ...authenticated,
    schema: { summary: 'Your follows, blocks and mutes with a user, and theirs with you', security, params: UserParams, response: { 200: Relationship, ...relationshipErrors } },
  }, async (request) => graph.relationship(request.user!.id, request.params.user_id))
}
