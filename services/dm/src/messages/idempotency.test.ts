import { describe, expect, it } from 'vitest'
import { requestHash } from './idempotency.ts'

describe('requestHash', () => {
  it('is the same for the same body, whatever the key order', () => {
    expect(requestHash({ recipient_id: '1', text: 'hi' })).toBe(requestHash({ text: 'hi', recipient_id: '1' }))
  })

  it('differs when the recipient or the text differs, even by moving characters between them', () => {
    const base = requestHash({ recipient_id: '12', text: 'a' })
    expect(requestHash({ recipient_id: '13', text: 'a' })).not.toBe(base)
    expect(requestHash({ recipient_id: '12', text: 'a ' })).not.toBe(base)
    expect(requestHash({ recipient_id: '1', text: '2a' })).not.toBe(base)
  })
})
