import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors/app-error.ts'
import { CursorPart, cursorCodec, encodeCursor, idCursor, pageOf } from './pagination.ts'

const refusal = (decode: () => unknown) => {
  try {
    decode()
  } catch (error) {
    return error instanceof AppError ? { status: error.status, code: error.code } : error
  }
  return 'accepted'
}
const INVALID = { status: 400, code: 'INVALID_CURSOR' }

describe('an id cursor (a list ordered by a time-ordered id)', () => {
  it('round-trips the id a page ended at, to the last of 64 bits', () => {
    expect(idCursor.decode(idCursor.encode(['9223372036854775807']))).toEqual(['9223372036854775807'])
  })

  it.each([
    ['garbage', 'not-a-cursor'],
    ['not base64 JSON', 'bm90IGpzb24'],
    ['an object instead of a position', Buffer.from('{"a":1}').toString('base64url')],
    ['a number instead of an id', encodeCursor([123])],
    ['two parts', encodeCursor(['1', '2'])],
    ['an id with letters', encodeCursor(['12a'])],
    ['an id with a leading zero', encodeCursor(['0123'])],
    ['an id beyond 64 bits', encodeCursor(['9223372036854775808'])],
  ])('refuses %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    expect(refusal(() => idCursor.decode(cursor))).toEqual(INVALID)
  })
})

describe('a cursor of several parts', () => {
  const byTime = cursorCodec(Type.Tuple([CursorPart.count(), CursorPart.id]))
  const byScore = cursorCodec(Type.Tuple([CursorPart.number, CursorPart.id]))

  it('round-trips a position to the microsecond', () => {
    expect(byTime.decode(byTime.encode([1_718_000_000_123_456, '9223372036854775807']))).toEqual([1_718_000_000_123_456, '9223372036854775807'])
    expect(byScore.decode(byScore.encode([1.5, '123']))).toEqual([1.5, '123'])
  })

  it.each([
    ['the id first', encodeCursor(['123', 1_700_000_000_000_000])],
    ['a fractional time', encodeCursor([1.5, '123'])],
    ['a negative time', encodeCursor([-1, '123'])],
    ['the wrong number of parts', encodeCursor([1])],
    ['a nested value', Buffer.from('[[1],"2"]').toString('base64url')],
    ['an id with letters', encodeCursor([1, '12a'])],
    ['an id beyond 64 bits', encodeCursor([1, '9223372036854775808'])],
  ])('refuses %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    expect(refusal(() => byTime.decode(cursor))).toEqual(INVALID)
  })

  it('refuses an offset past its bound', () => {
    const offsets = cursorCodec(Type.Tuple([CursorPart.count(99)]))
    expect(offsets.decode(encodeCursor([99]))).toEqual([99])
    expect(refusal(() => offsets.decode(encodeCursor([100])))).toEqual(INVALID)
  })
})

describe('pageOf', () => {
  const cursorAfter = (last: string) => idCursor.encode([last])

  it('gives a cursor at the last item shown when the extra row shows another page', () => {
    const page = pageOf(['9', '8', '7'], 2, cursorAfter)
    expect(page.items).toEqual(['9', '8'])
    expect(idCursor.decode(page.next_cursor!)).toEqual(['8'])
  })

  it('gives no cursor on the last page, or an empty one', () => {
    expect(pageOf(['9', '8'], 2, cursorAfter)).toEqual({ items: ['9', '8'], next_cursor: null })
    expect(pageOf([], 2, cursorAfter)).toEqual({ items: [], next_cursor: null })
  })
})
