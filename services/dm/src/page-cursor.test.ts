import { AppError } from '@starling/shared/errors'
import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { cursorId, toPage } from './page-cursor.ts'

describe('list cursors', () => {
  it('round-trip the id a page ended at', () => {
    const page = toPage(['9', '8', '7'], 2, (id) => id)
    expect(page.items).toEqual(['9', '8'])
    expect(cursorId(page.next_cursor!)).toBe('8')
  })

  it('give no cursor on the last page', () => {
    expect(toPage(['9', '8'], 2, (id) => id)).toEqual({ items: ['9', '8'], next_cursor: null })
  })

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a number', encodeCursor([8])],
    ['an id with letters', encodeCursor(['8a'])],
    ['an id beyond 64 bits', encodeCursor(['9223372036854775808'])],
    ['two parts', encodeCursor(['8', '9'])],
  ])('reject %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    const error = (() => {
      try {
        cursorId(cursor)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('INVALID_CURSOR')
  })
})
