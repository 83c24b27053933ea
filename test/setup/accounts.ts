import { randomUUID } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { testEnv } from './env.ts'
import { gateway } from './http.ts'

export interface Account {
  id: string
  username: string
  email: string
  password: string
  token: string
}

/** An access token as the user service signs it (tests of other services need one quickly). */
export function mintToken(user: { id: string; username: string }, options: jwt.SignOptions = {}) {
  return jwt.sign({ username: user.username, sid: randomUUID() }, testEnv.jwtPrivateKey.replaceAll('\\n', '\n'), {
    algorithm: 'ES256', subject: user.id, issuer: 'starling-user-service', audience: 'starling-api', expiresIn: 900, ...options,
  })
}

/** Registers a fresh account through the gateway and returns it with a valid access token. */
export async function newAccount(prefix = 'u'): Promise<Account> {
  const username = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const password = `pw-${randomUUID()}`
  const email = `${username}@example.com`
  const response = await gateway('/users/register', { body: { username, email, password } })
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`)
  return { id: response.body.id, username, email, password, token: mintToken({ id: response.body.id, username }) }
}
