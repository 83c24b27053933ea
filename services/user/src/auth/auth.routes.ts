import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import Type from 'typebox'
import { Credentials, RefreshRequest, Session } from './auth.schemas.ts'
import type { AuthService } from './auth.service.ts'

const errors = { 400: Problem, 401: Problem, 413: Problem, 415: Problem, 503: Problem }

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/users/login', {
    schema: { summary: 'Sign in with username (or email) and password', body: Credentials, response: { 200: Session, ...errors } },
  }, async (request) => auth.login(request.body))

  app.post('/users/refresh', {
    schema: { summary: 'Trade a refresh token for a new access and refresh token', body: RefreshRequest, response: { 200: Session, ...errors } },
  }, async (request) => auth.refresh(request.body.refresh_token))

  app.post('/users/logout', {
    schema: { summary: 'Revoke the login a refresh token belongs to', body: RefreshRequest, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await auth.logout(request.body.refresh_token)
    return reply.code(204).send(null)
  })
}
