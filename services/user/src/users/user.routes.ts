import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SIGNED_IN } from '@starling/shared/errors'
import { Id } from '@starling/shared/schemas'
import Type from 'typebox'
import { errors } from '../errors.ts'
import { NewUser, PrivateProfile, ProfileChanges, PublicProfile, Username } from './user.schemas.ts'
import type { UserService } from './user.service.ts'

// AUTH_BUSY: more passwords to hash at once than the hasher's queue holds.
const registerErrors = errors.responses('VALIDATION_FAILED', 'USR_USERNAME_TAKEN', 'USR_EMAIL_TAKEN', 'USR_USERNAME_CONFUSABLE', 'RATE_LIMITED', 'AUTH_BUSY')
const ownErrors = errors.responses(...SIGNED_IN, 'USR_NOT_FOUND')
const changeErrors = errors.responses('VALIDATION_FAILED', ...SIGNED_IN, 'USR_NOT_FOUND')
const profileErrors = errors.responses('VALIDATION_FAILED', 'USR_NOT_FOUND', 'RATE_LIMITED')
const security = [{ bearer: [] }]

export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserService }> = async (app, { users }) => {
  app.post('/users/register', {
    schema: { summary: 'Create an account', body: NewUser, response: { 201: PublicProfile, ...registerErrors } },
  }, async (request, reply) => reply.code(201).send(await users.register(request.body)))

  app.get('/users/me', {
    onRequest: [app.authenticate],
    schema: { summary: 'Your own account', security, response: { 200: PrivateProfile, ...ownErrors } },
  }, async (request) => users.me(request.user!.id))

  app.patch('/users/me', {
    onRequest: [app.authenticate],
    schema: { summary: 'Change your display name or bio', security, body: ProfileChanges, response: { 200: PrivateProfile, ...changeErrors } },
  }, async (request) => users.update(request.user!.id, request.body))

  app.get('/users/by-username/:username', {
    schema: { summary: 'A public profile, by username (any case)', params: Type.Object({ username: Username }), response: { 200: PublicProfile, ...profileErrors } },
  }, async (request) => users.getByUsername(request.params.username))

  // The id never spells one of this service's own paths, so GET /users/login is a 405, not a bad id.
  app.get('/users/:user_id(^(?!(?:register|login|refresh|logout|me)$).+$)', {
    schema: { summary: 'A public profile', params: Type.Object({ user_id: Id }), response: { 200: PublicProfile, ...profileErrors } },
  }, async (request) => users.get(request.params.user_id))
}
