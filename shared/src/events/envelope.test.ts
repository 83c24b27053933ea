import { describe, expect, it } from 'vitest'
import { createEvent, decodeEvent, InvalidEventError, validateEvent } from './envelope.ts'

const payload = { user_id: '123', username: 'ada', display_name: 'Ada', created_at: '2026-01-01T00:00:00.000Z' }

describe('event envelope', () => {
  it('builds a versioned envelope keyed by the aggregate id', () => {
    const event = createEvent('user.registered', 1, '123', payload, new Date('2026-02-03T04:05:06Z'))
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'user.registered', version: 1,
      occurred_at: '2026-02-03T04:05:06.000Z', key: '123', payload,
    })
  })

  it('round-trips through the wire format', () => {
    const event = createEvent('user.registered', 1, '123', payload)
    expect(decodeEvent(Buffer.from(JSON.stringify(event)))).toEqual(event)
  })

  it.each([
    ['a null message', null, /empty/],
    ['bytes that are not JSON', Buffer.from('{oops'), /not JSON/],
    ['an envelope without an id', Buffer.from(JSON.stringify({ type: 'user.registered', version: 1, occurred_at: '2026-01-01T00:00:00Z', key: '1', payload })), /envelope/],
    ['an unknown event type', Buffer.from(JSON.stringify({ id: '6f1c5a9e-0d5b-4d7e-9b1a-2f3c4d5e6f70', type: 'user.exploded', version: 1, occurred_at: '2026-01-01T00:00:00Z', key: '1', payload })), /unknown event user.exploded v1/],
    ['a version nobody defined', Buffer.from(JSON.stringify({ id: '6f1c5a9e-0d5b-4d7e-9b1a-2f3c4d5e6f70', type: 'user.registered', version: 99, occurred_at: '2026-01-01T00:00:00Z', key: '1', payload })), /v99/],
  ])('rejects %s', (_case, bytes, message) => {
    expect(() => decodeEvent(bytes)).toThrow(InvalidEventError)
    expect(() => decodeEvent(bytes)).toThrow(message)
  })

  it('rejects a payload that breaks its contract, naming the field', () => {
    const event = { ...createEvent('user.registered', 1, '123', payload), payload: { ...payload, user_id: 'abc' } }
    expect(() => validateEvent(event)).toThrow(/user_id/)
  })

  it('rejects fields the contract does not have', () => {
    const event = { ...createEvent('user.registered', 1, '123', payload), payload: { ...payload, email: 'a@b.c' } }
    expect(() => validateEvent(event)).toThrow(InvalidEventError)
  })

  it('refuses to build an event whose payload is wrong', () => {
    expect(() => createEvent('user.registered', 1, '123', { ...payload, created_at: 'yesterday' })).toThrow(/created_at/)
  })
})
