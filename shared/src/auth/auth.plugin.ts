import { createPublicKey, type KeyObject } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { failFastRedis, subscriberRedis } from '../db/redis.ts'
import jwt from 'jsonwebtoken'
import Type from 'typebox'
import { platformErrors as errors } from '../errors/catalogue.ts'
import { isId } from '../schemas/id.ts'
import { createRevocationList, type RevocationList } from './revocation-list.ts'

export interface AuthUser {
  id: string
  username: string
  /** The login the token belongs to (its refresh-token family): what a sign-out revokes. */
  sessionId: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: 401 unless a valid access token is sent; sets request.user. */
    authenticate: (request: FastifyRequest) => Promise<void>
    /** onRequest hook: sets request.user when a valid token is sent, leaves it null when none is. */
    identify: (request: FastifyRequest) => Promise<void>
    /** The user of a valid token on the request, or null: for a route that takes none (the rate limits). */
    tokenUser?: (request: FastifyRequest) => AuthUser | null
    /** The logins revoked so far, kept in step with every instance (for sockets that outlive a check). */
    revocations: RevocationList | undefined
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
  /** The longest an access token may live (exp - iat): the user service never signs a longer one. */
  maxTtlSeconds: number
  /** Tokens of these logins are refused. */
  revocations?: Pick<RevocationList, 'isRevoked'>
}

/** The env every service that checks tokens reads. */
export const JwtVerifyEnv = {
  JWT_PUBLIC_KEY: Type.String({ minLength: 1, description: 'PEM (literal \\n allowed) of the ES256 public key' }),
  JWT_ISSUER: Type.String({ default: 'starling-user-service' }),
  JWT_AUDIENCE: Type.String({ default: 'starling-api' }),
  JWT_ACCESS_TTL_SECONDS: Type.Integer({
    minimum: 30, maximum: 3600, default: 900,
    description: 'how long an access token lives: the user service signs them so, and every service refuses one that claims longer',
  }),
}
export type JwtVerifyConfig = Type.Static<Type.TObject<typeof JwtVerifyEnv>>

// Parsing the PEM costs as much as checking a signature; it is done once, at boot.
const keyObject = (key: string | KeyObject) => (typeof key === 'string' ? createPublicKey(pem(key)) : key)

/** What the auth plugin is given: how to check a token, and the Redis that knows the revoked logins. */
export type AuthPluginOptions = AuthOptions & { redisUrl?: string }

export const authOptions = (config: JwtVerifyConfig & { REDIS_URL?: string }): AuthPluginOptions => ({
  publicKey: keyObject(config.JWT_PUBLIC_KEY), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, maxTtlSeconds: config.JWT_ACCESS_TTL_SECONDS,
  ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
})

// Clocks of the signer and the checker may disagree by this much.
const CLOCK_SKEW_SECONDS = 30

/** PEM keys arrive through env vars, where newlines are often written as \n. */
export const pem = (value: string) => value.replaceAll('\\n', '\n')

// The only algorithm accepted: a token that names another (HS256 with the public key as secret,
// or `none`) is rejected before its signature is looked at.
export const JWT_ALGORITHM = 'ES256' as const


export function verifyAccessToken(token: string, options: AuthOptions): AuthUser {
  let claims: string | jwt.JwtPayload
  try {
    claims = jwt.verify(token, keyObject(options.publicKey), { algorithms: [JWT_ALGORITHM], issuer: options.issuer, audience: options.audience })
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw errors.AUTH_TOKEN_EXPIRED('The access token has expired; refresh it.')
    throw errors.AUTH_TOKEN_INVALID('The access token is not valid.')
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || !isId(claims.sub) || typeof claims.username !== 'string' || typeof claims.sid !== 'string') {
    throw errors.AUTH_TOKEN_INVALID('The access token is not valid.')
  }
  // A token that never expires, or lives longer than any the user service signs, or was issued in
  // the future (and so expires later than it says it may), was not made by the user service.
  const now = Math.floor(Date.now() / 1000)
  const { exp, iat } = claims
  if (typeof exp !== 'number' || typeof iat !== 'number' || iat > now + CLOCK_SKEW_SECONDS || exp - iat > options.maxTtlSeconds) {
    throw errors.AUTH_TOKEN_INVALID('The access token is not valid.')
  }
  if (options.revocations?.isRevoked(claims.sid)) throw errors.AUTH_TOKEN_REVOKED('This login has ended (signed out, or its refresh token was replayed); sign in again.')
  return { id: claims.sub, username: claims.username, sessionId: claims.sid }
}

/** How many verified tokens an instance remembers: about 1 KB each. */
const VERIFIED_TOKENS = 10_000

/**
 * verifyAccessToken with a memory: a token whose signature and claims checked out is not checked
 * again until its `exp` (an ES256 verification costs about as much as the rest of a small
 * request). Revocation is looked at on every call, and only tokens that verified are remembered,
 * so a flood of made-up tokens costs a verification each and evicts nothing. Least recently used
 * first out past `maxEntries`.
 */
export function createTokenVerifier(options: AuthOptions, maxEntries = VERIFIED_TOKENS) {
  const verified = new Map<string, { user: AuthUser; exp: number }>()
  return (token: string): AuthUser => {
    const known = verified.get(token)
    if (known && known.exp > Date.now() / 1000) {
      if (options.revocations?.isRevoked(known.user.sessionId)) throw errors.AUTH_TOKEN_REVOKED('This login has ended (signed out, or its refresh token was replayed); sign in again.')
      verified.delete(token)
      verified.set(token, known)
      return known.user
    }
    verified.delete(token)
    const user = verifyAccessToken(token, options)
    verified.set(token, { user, exp: (jwt.decode(token) as jwt.JwtPayload).exp! })
    if (verified.size > maxEntries) verified.delete(verified.keys().next().value!)
    return user
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)
  if (!match) throw errors.AUTH_TOKEN_INVALID('Send the access token as: Authorization: Bearer <token>.')
  return match[1]
}

/**
 * Decorates `authenticate` and `identify`; routes opt in with `onRequest: [app.authenticate]`.
 * With `redisUrl`, tokens of revoked logins are refused too, within moments of the revocation.
 */
export const authPlugin = fp(async (app: FastifyInstance, given: AuthPluginOptions) => {
  const { redisUrl, ...rest } = given
  // Two connections: a subscriber can send nothing but (un)subscriptions.
  const revocations = redisUrl ? createRevocationList({
    redis: failFastRedis(redisUrl, app.log, 'revoked logins'),
    subscriber: subscriberRedis(redisUrl, app.log, 'revoked logins'),
    logger: app.log,
  }) : undefined
  const options: AuthOptions = { ...rest, publicKey: keyObject(rest.publicKey), ...(revocations ? { revocations } : {}) }
  const verify = createTokenVerifier(options)
  app.decorate('revocations', revocations)
  app.addHook('onReady', async () => { await revocations?.start() })
  app.addHook('onClose', async () => { await revocations?.close() })
  app.decorateRequest('user', null)
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const token = bearer(request)
    if (!token) throw errors.AUTH_REQUIRED('This endpoint needs an access token: Authorization: Bearer <token>.')
    request.user = verify(token)
  })
  app.decorate('identify', async (request: FastifyRequest) => {
    const token = bearer(request)
    request.user = token ? verify(token) : null
  })
  app.decorate('tokenUser', (request: FastifyRequest) => {
    try {
      const token = bearer(request)
      return token ? verify(token) : null
    } catch {
      return null
    }
  })
}, { name: 'starling-auth' })
