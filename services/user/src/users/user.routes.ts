import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound, Problem } from '@starling/shared'
import Type from 'typebox'
import { NewUser, PublicProfile, UserId } from './user.schemas.ts'
import type { UserRepository } from './user.repository.ts'
import type { UserService } from './user.service.ts'

export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserService; repository: UserRepository }> = async (app, { users, repository }) => {
  app.post('/users/register', {
    schema: {
      summary: 'Create an account',
      body: NewUser,
      response: { 201: PublicProfile, 400: Problem, 409: Problem, 413: Problem, 415: Problem },
    },
  }, async (request, reply) => reply.code(201).send(await users.register(request.body)))

  app.get('/users/:user_id', {
    schema: {
      summary: 'A public profile',
      params: Type.Object({ user_id: UserId }),
      response: { 200: PublicProfile, 400: Problem, 404: Problem },
    },
  }, async (request) => {
    const user = await repository.findById(request.params.user_id)
    if (!user) throw notFound('USR_NOT_FOUND', `No user has id ${request.params.user_id}.`)
    return user
  })
}
