import { describe, expect, it } from 'vitest'
import { requestHash } from './idempotency.ts'

describe('requestHash', () => {
  it('is the same for the same body, whatever the key order and whether an absent id is null', () => {
    expect(requestHash({ text: 'hi', reply_to_id: '1' })).toBe(requestHash({ reply_to_id: '1', text: 'hi' }))
    expect(requestHash({ text: 'hi' })).toBe(requestHash({ text: 'hi', reply_to_id: null, quote_of_id: null }))
  })

  it('differs when any field differs', () => {
    const base = requestHash({ text: 'hi', reply_to_id: '1' })
    expect(requestHash({ text: 'hi!', reply_to_id: '1' })).not.toBe(base)
    expect(requestHash({ text: 'hi', reply_to_id: '2' })).not.toBe(base)
    expect(requestHash({ text: 'hi', quote_of_id: '1' })).not.toBe(base)
    expect(requestHash({ text: 'hi' })).not.toBe(base)
  })

  it('cannot be fooled by moving characters between fields', () => {
    expect(requestHash({ text: 'a', reply_to_id: '12' })).not.toBe(requestHash({ text: 'a1', reply_to_id: '2' }))
  })
})
