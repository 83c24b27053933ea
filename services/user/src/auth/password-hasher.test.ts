import { describe, expect, it } from 'vitest'
import { AppError } from '@starling/shared/errors'
import { createPasswordHasher } from './password-hasher.ts'

describe('password hasher', () => {
  it('hashes with argon2id and verifies', async () => {
    const hasher = createPasswordHasher({ concurrency: 2, queueMax: 10 })
    const hash = await hasher.hash('correct horse battery')
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await hasher.verify(hash, 'correct horse battery')).toBe(true)
    expect(await hasher.verify(hash, 'wrong')).toBe(false)
  })

  it('turns away work beyond its queue with 503 AUTH_BUSY instead of queueing without bound', async () => {
    const hasher = createPasswordHasher({ concurrency: 1, queueMax: 1 })
    const running = hasher.hash('one')
    const queued = hasher.hash('two')
    let rejected: unknown
    try {
      await hasher.hash('three')
    } catch (error) {
      rejected = error
    }
    expect(rejected).toBeInstanceOf(AppError)
    expect((rejected as AppError).status).toBe(503)
    expect((rejected as AppError).code).toBe('AUTH_BUSY')
    await Promise.all([running, queued])
  })

  it('spends a real verification on an unknown user and never succeeds', async () => {
    const hasher = createPasswordHasher({ concurrency: 1, queueMax: 10 })
    expect(await hasher.verifyDecoy('starling-decoy-password')).toBe(false)
  })
})
