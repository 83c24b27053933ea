import { createPublicKey, type KeyObject } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import jwt from 'jsonwebtoken'
import Type from 'typebox'
import { unauthorized } from '../errors/app-error.ts'
import { isId } from '../schemas/id.ts'

export interface AuthUser {
  id: string
  username: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: 401 unless a valid access token is sent; sets request.user. */
    authenticate: (request: FastifyRequest) => Promise<void>
    /** onRequest hook: sets request.user when a valid token is sent, leaves it null when none is. */
    identify: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    user: AuthUser | null
  }
}

export interface AuthOptions {
  /** The user service's ES256 public key: PEM, or a key object made from it once. */
  publicKey: string | KeyObject
  issuer: string
  audience: string
}

/** The env every service that checks tokens reads. */
export const JwtVerifyEnv = {
  JWT_PUBLIC_KEY: Type.String({ minLength: 1, description: 'PEM (literal \\n allowed) of the ES256 public key' }),
  JWT_ISSUER: Type.String({ default: 'starling-user-service' }),
  JWT_AUDIENCE: Type.String({ default: 'starling-api' }),
}

/** PEM keys arrive through env vars, where newlines are often written as \n. */
export const pem = (value: string) => value.replaceAll('\\n', '\n')

// The only algorithm accepted: a token that names another (HS256 with the public key as secret,
// or `none`) is rejected before its signature is looked at.
export const JWT_ALGORITHM = 'ES256' as const

// Parsing the PEM costs as much as checking a signature; the plugin does it once, at boot.
const keyObject = (key: string | KeyObject) => (typeof key === 'string' ? createPublicKey(pem(key)) : key)

export function verifyAccessToken(token: string, options: AuthOptions): AuthUser {
  let claims: string | jwt.JwtPayload
  try {
    claims = jwt.verify(token, keyObject(options.publicKey), { algorithms: [JWT_ALGORITHM], issuer: options.issuer, audience: options.audience })
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw unauthorized('AUTH_TOKEN_EXPIRED', 'The access token has expired; refresh it.')
    throw unauthorized('AUTH_TOKEN_INVALID', 'The access token is not valid.')
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || !isId(claims.sub) || typeof claims.username !== 'string') {
    throw unauthorized('AUTH_TOKEN_INVALID', 'The access token is not valid.')
  }
  return { id: claims.sub, username: claims.username }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)
  if (!match) throw unauthorized('AUTH_TOKEN_INVALID', 'Send the access token as: Authorization: Bearer <token>.')
  return match[1]
}

/** Decorates `authenticate` and `identify`; routes opt in with `onRequest: [app.authenticate]`. */
export const authPlugin = fp(async (app: FastifyInstance, given: AuthOptions) => {
  const options = { ...given, publicKey: keyObject(given.publicKey) }
  app.decorateRequest('user', null)
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const token = bearer(request)
    if (!token) throw unauthorized('AUTH_REQUIRED', 'This endpoint needs an access token: Authorization: Bearer <token>.')
    request.user = verifyAccessToken(token, options)
  })
  app.decorate('identify', async (request: FastifyRequest) => {
    const token = bearer(request)
    request.user = token ? verifyAccessToken(token, options) : null
  })
}, { name: 'starling-auth' })
