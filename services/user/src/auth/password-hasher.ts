import { hash, verify } from '@node-rs/argon2'
import pLimit from 'p-limit'
import { errors } from '../errors.ts'

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. `algorithm: 2` is Argon2id
// (a const enum in the typings, which type stripping cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }

/**
 * argon2id hashing with bounded concurrency: at most `concurrency` hashes run at once and at most
 * `queueMax` wait, so a burst of logins gets quick 503s instead of starving every other request.
 */
export function createPasswordHasher(options: { concurrency: number; queueMax: number }) {
  const limit = pLimit(options.concurrency)
  // p-limit starts work on a later tick, so running and waiting are counted together.
  const bounded = async <T>(work: () => Promise<T>) => {
    if (limit.activeCount + limit.pendingCount >= options.concurrency + options.queueMax) {
      throw errors.AUTH_BUSY('Too many sign-ins at once; try again in a moment.', { retryAfterSeconds: 1 })
    }
    return limit(work)
  }
  // Verified when the username does not exist, so both failures cost the same time.
  const decoy = hash('starling-decoy-password', OPTIONS)
  return {
    hash: (password: string) => bounded(() => hash(password, OPTIONS)),
    verify: (passwordHash: string, password: string) => bounded(() => verify(passwordHash, password)),
    /** Spends the time of a real verification and fails. */
    verifyDecoy: async (password: string) => {
      const decoyHash = await decoy
      await bounded(() => verify(decoyHash, `${password}\u0000`))
      return false
    },
  }
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>
