import { hash, verify } from '@node-rs/argon2'

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. `algorithm: 2` is Argon2id
// (a const enum in the typings, which type stripping cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function createPasswordHasher() {
  return {
    hash: (password: string) => hash(password, OPTIONS),
    verify: (passwordHash: string, password: string) => verify(passwordHash, password),
  }
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>
