import { AppError } from '@starling/shared/errors'
import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { decodePosition, encodePosition, toPage } from './page-cursor.ts'

describe('list cursors', () => {
  it('round-trip an id', () => {
    expect(decodePosition(encodePosition('9223372036854775807'))).toBe('9223372036854775807')
  })

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a number instead of a string', encodeCursor([123])],
    ['two parts', encodeCursor(['1', '2'])],
    ['an id with letters', encodeCursor(['12a'])],
    ['an id beyond 64 bits', encodeCursor(['9223372036854775808'])],
  ])('reject %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    expect(() => decodePosition(cursor)).toThrow(AppError)
    expect(() => decodePosition(cursor)).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }))
  })
})

describe('toPage', () => {
  const rows = (...ids: string[]) => ids.map((id) => ({ id }))

  it('gives a cursor at the last item when the extra row shows another page', () => {
    const page = toPage(rows('3', '2', '1'), 2)
    expect(page.items).toEqual(rows('3', '2'))
    expect(decodePosition(page.next_cursor!)).toBe('2')
  })

  it('gives no cursor on the last page', () => {
    expect(toPage(rows('2', '1'), 2)).toEqual({ items: rows('2', '1'), next_cursor: null })
    expect(toPage([], 2)).toEqual({ items: [], next_cursor: null })
  })
})
