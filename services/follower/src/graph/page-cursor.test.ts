import { AppError } from '@starling/shared/errors'
import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { decodePosition, encodePosition, toPage } from './page-cursor.ts'

const row = (n: number) => ({ micros: 1_700_000_000_000_000 + n, id: String(100 + n) })

describe('list cursors', () => {
  it('round-trip a position to the microsecond', () => {
    const position = { micros: 1_718_000_000_123_456, id: '9223372036854775807' }
    expect(decodePosition(encodePosition(position))).toEqual(position)
  })

  it.each([
    ['garbage', 'not-a-cursor'],
    ['the id first', encodeCursor(['123', 1_700_000_000_000_000])],
    ['a fractional time', encodeCursor([1.5, '123'])],
    ['a negative time', encodeCursor([-1, '123'])],
    ['an id with letters', encodeCursor([1, '12a'])],
    ['an id with a leading zero', encodeCursor([1, '0123'])],
    ['an id beyond 64 bits', encodeCursor([1, '9223372036854775808'])],
  ])('reject %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    try {
      decodePosition(cursor)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('INVALID_CURSOR')
    }
  })
})

describe('toPage', () => {
  it('gives a cursor at the last item when the extra row shows another page', () => {
    const page = toPage([row(3), row(2), row(1)], 2, (r) => r.id)
    expect(page.items).toEqual(['103', '102'])
    expect(decodePosition(page.next_cursor!)).toEqual(row(2))
  })

  it('gives no cursor on the last page', () => {
    expect(toPage([row(2), row(1)], 2, (r) => r.id)).toEqual({ items: ['102', '101'], next_cursor: null })
    expect(toPage([] as ReturnType<typeof row>[], 2, (r) => r.id)).toEqual({ items: [], next_cursor: null })
  })
})
