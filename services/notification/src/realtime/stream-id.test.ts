import { describe, expect, it } from 'vitest'
import { compareStreamIds, isStreamId, missedSince } from './stream-id.ts'

describe('live event ids', () => {
  it('order by time first, then by sequence, as numbers rather than text', () => {
    expect(compareStreamIds('1700000000000-0', '1700000000000-1')).toBeLessThan(0)
    expect(compareStreamIds('1700000000001-0', '1700000000000-9')).toBeGreaterThan(0)
    expect(compareStreamIds('999-10', '999-9')).toBeGreaterThan(0)
    expect(compareStreamIds('99-0', '100-0')).toBeLessThan(0)
    expect(compareStreamIds('5-5', '5-5')).toBe(0)
  })

  it('keep 64-bit parts exact', () => {
    expect(compareStreamIds('18446744073709551615-1', '18446744073709551615-0')).toBeGreaterThan(0)
  })

  it.each(['', '1', '1-', '-1', '01-0', '1-01', 'a-1', '1-1-1', ' 1-1', '18446744073709551616-0'])('reject %j', (id) => {
    expect(isStreamId(id)).toBe(false)
  })

  it.each(['0-0', '1700000000000-0', '18446744073709551615-18446744073709551615'])('accept %j', (id) => {
    expect(isStreamId(id)).toBe(true)
  })
})

describe('missedSince', () => {
  const held = (firstId: string, trimmed: boolean) => ({ exists: true, firstId, trimmed })

  it('is false while the id the client resumes from is still held', () => {
    expect(missedSince('10-0', held('10-0', true))).toBe(false)
    expect(missedSince('12-0', held('10-0', true))).toBe(false)
  })

  it('is true when the client resumes from before what was trimmed', () => {
    expect(missedSince('9-0', held('10-0', true))).toBe(true)
    expect(missedSince('0-0', held('10-0', true))).toBe(true)
  })

  it('is false from the start of a stream never trimmed, true from an id of an earlier, expired stream', () => {
    expect(missedSince('0-0', held('10-0', false))).toBe(false)
    expect(missedSince('9-0', held('10-0', false))).toBe(true)
  })

  it('is true for any id but the start when the user has no stream any more', () => {
    expect(missedSince('9-0', { exists: false, firstId: undefined, trimmed: false })).toBe(true)
    expect(missedSince('0-0', { exists: false, firstId: undefined, trimmed: false })).toBe(false)
  })
})
