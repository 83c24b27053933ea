import { randomUUID } from 'node:crypto'
import { JWT_ALGORITHM, pem } from '@starling/shared/auth'
import jwt from 'jsonwebtoken'

/**
 * Signs short-lived access tokens; the other services verify them with the public key. `sid` names
 * the login (the refresh-token family) the token belongs to, which a sign-out revokes.
 */
export function createTokenIssuer(options: { privateKey: string; issuer: string; audience: string; ttlSeconds: number }) {
  const key = pem(options.privateKey)
  return {
    ttlSeconds: options.ttlSeconds,
    sign: (user: { id: string; username: string }, sessionId: string) => jwt.sign({ username: user.username, sid: sessionId }, key, {
      algorithm: JWT_ALGORITHM,
      subject: user.id,
      issuer: options.issuer,
      audience: options.audience,
      expiresIn: options.ttlSeconds,
      jwtid: randomUUID(),
    }),
  }
}
export type TokenIssuer = ReturnType<typeof createTokenIssuer>
