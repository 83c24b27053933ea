import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import { Id } from '@starling/shared/schemas'
import Type from 'typebox'
import { NewUser, PrivateProfile, ProfileChanges, PublicProfile, Username } from './user.schemas.ts'
import type { UserService } from './user.service.ts'

const auth = { 401: Problem }

export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserService }> = async (app, { users }) => {
  app.post('/users/register', {
    schema: { summary: 'Create an account', body: NewUser, response: { 201: PublicProfile, 400: Problem, 409: Problem, 413: Problem, 415: Problem, 503: Problem } },
  }, async (request, reply) => reply.code(201).send(await users.register(request.body)))

  app.get('/users/me', {
    onRequest: [app.authenticate],
    schema: { summary: 'Your own account', security: [{ bearer: [] }], response: { 200: PrivateProfile, ...auth, 404: Problem } },
  }, async (request) => users.me(request.user!.id))

  app.patch('/users/me', {
    onRequest: [app.authenticate],
    schema: { summary: 'Change your display name or bio', security: [{ bearer: [] }], body: ProfileChanges, response: { 200: PrivateProfile, 400: Problem, ...auth, 404: Problem, 415: Problem } },
  }, async (request) => users.update(request.user!.id, request.body))

  app.get('/users/by-username/:username', {
    schema: { summary: 'A public profile, by username (any case)', params: Type.Object({ username: Username }), response: { 200: PublicProfile, 400: Problem, 404: Problem } },
  }, async (request) => users.getByUsername(request.params.username))

  // The id never spells one of this service's own paths, so GET /users/login is a 405, not a bad id.
  app.get('/users/:user_id(^(?!(?:register|login|refresh|logout|me)$).+$)', {
    schema: { summary: 'A public profile', params: Type.Object({ user_id: Id }), response: { 200: PublicProfile, 400: Problem, 404: Problem } },
  }, async (request) => users.get(request.params.user_id))
}
