import { describe, expect, it } from 'vitest'
import { byteLength, parseClientMessage } from './client-message.ts'

const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

describe('client messages', () => {
  it('accept an auth message, with or without the id to resume from', () => {
    expect(parseClientMessage(text({ type: 'auth', token: 'abc' }), false)).toEqual({ message: { type: 'auth', token: 'abc' } })
    expect(parseClientMessage(text({ type: 'auth', token: 'abc', last_event_id: '1700000000000-3' }), false))
      .toEqual({ message: { type: 'auth', token: 'abc', last_event_id: '1700000000000-3' } })
  })

  it.each([
    ['not JSON', text('hello'), false],
    ['binary', text({ type: 'auth', token: 'abc' }), true],
    ['another type', text({ type: 'subscribe', token: 'abc' }), false],
    ['no token', text({ type: 'auth' }), false],
    ['an empty token', text({ type: 'auth', token: '' }), false],
    ['a token that is not text', text({ type: 'auth', token: 42 }), false],
    ['an unknown field', text({ type: 'auth', token: 'abc', extra: 1 }), false],
    ['a malformed last_event_id', text({ type: 'auth', token: 'abc', last_event_id: 'yesterday' }), false],
    ['a JSON array', text([1, 2]), false],
    ['JSON null', text('null'), false],
  ])('reject %s', (_case, data, binary) => {
    expect(parseClientMessage(data, binary)).toEqual({ error: expect.any(String) })
  })

  it('measure fragmented messages whole', () => {
    expect(byteLength([Buffer.alloc(3), Buffer.alloc(4)])).toBe(7)
    expect(byteLength(Buffer.alloc(5))).toBe(5)
  })
})
