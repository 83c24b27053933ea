import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors } from '../errors.ts'
import { Credentials, RefreshRequest, Session } from './auth.schemas.ts'
import type { AuthService } from './auth.service.ts'

// AUTH_BUSY: more passwords to hash at once than the hasher's queue holds.
const loginErrors = errors.responses('VALIDATION_FAILED', 'AUTH_BAD_CREDENTIALS', 'RATE_LIMITED', 'AUTH_BUSY')
const refreshErrors = errors.responses('VALIDATION_FAILED', 'AUTH_REFRESH_INVALID', 'RATE_LIMITED')
// An unknown token is no error: a sign-out reveals nothing about the tokens it is given.
const logoutErrors = errors.responses('VALIDATION_FAILED', 'RATE_LIMITED')

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/users/login', {
    schema: { summary: 'Sign in with username (or email) and password', body: Credentials, response: { 200: Session, ...loginErrors } },
  }, async (request) => auth.login(request.body))

  app.post('/users/refresh', {
    schema: { summary: 'Trade a refresh token for a new access and refresh token', description: 'Refresh tokens rotate. A spent token presented again ends the login, unless it is a retry: within REFRESH_REUSE_GRACE_SECONDS of its use, while the token it was traded for is still unused (that answer was lost). Then a new pair is given and the unseen one retired; presenting that one later ends the login.', body: RefreshRequest, response: { 200: Session, ...refreshErrors } },
  }, async (request) => auth.refresh(request.body.refresh_token))

  app.post('/users/logout', {
    schema: { summary: 'Revoke the login a refresh token belongs to', body: RefreshRequest, response: { 204: Type.Null(), ...logoutErrors } },
  }, async (request, reply) => {
    await auth.logout(request.body.refresh_token)
    return reply.code(204).send(null)
  })
}
