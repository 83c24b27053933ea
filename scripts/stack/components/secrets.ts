import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { stack } from '../config.ts'

const dir = path.join(stack.dir, 'secrets')

/**
 * The ES256 key pair access tokens are signed with, made once per stack and kept in
 * .stack/secrets (git-ignored). Only the user service gets the private key; every service gets
 * the public one.
 */
export function jwtKeys(): { privateKey: string; publicKey: string } {
  const privateFile = path.join(dir, 'jwt-es256-private.pem')
  const publicFile = path.join(dir, 'jwt-es256-public.pem')
  if (!fs.existsSync(privateFile)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    })
    fs.writeFileSync(publicFile, publicKey)
    fs.writeFileSync(privateFile, privateKey, { mode: 0o600 })
  }
  return { privateKey: fs.readFileSync(privateFile, 'utf8'), publicKey: fs.readFileSync(publicFile, 'utf8') }
}
