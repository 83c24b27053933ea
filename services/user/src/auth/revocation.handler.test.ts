import type { Revocation } from '@starling/shared/auth'
import { createEvent } from '@starling/shared/events'
import { describe, expect, it } from 'vitest'
import { createRevocationHandler } from './revocation.handler.ts'

describe('revoked logins', () => {
  it('puts a revoked login on the list until its last access token expires, and ignores other events', async () => {
    const published: Revocation[] = []
    const handle = createRevocationHandler({ revocations: { publish: async (revocation) => { published.push(revocation) } } })
    const sessionId = '4f1c7a0e-2b8d-4c3e-9a51-6d7e8f9a0b1c'
    await handle(createEvent('login.revoked', 1, '1', {
      user_id: '1', session_id: sessionId, reason: 'logout', revoked_at: '2026-01-01T00:00:00.000Z', tokens_valid_until: '2026-01-01T00:15:00.000Z',
    }))
    await handle(createEvent('user.registered', 1, '2', { user_id: '2', username: 'bob', display_name: 'bob', created_at: '2026-01-01T00:00:00.000Z' }))
    expect(published).toEqual([{ session_id: sessionId, until: Date.parse('2026-01-01T00:15:00.000Z') }])
  })
})
