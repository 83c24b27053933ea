import { describe, expect, it } from 'vitest'
import { AppError } from '../errors/app-error.ts'
import { decodeCursor, encodeCursor } from './pagination.ts'

describe('cursors', () => {
  it('round-trip a sort position', () => {
    expect(decodeCursor(encodeCursor([1.5, '123']), 2)).toEqual([1.5, '123'])
  })

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    ['the wrong number of parts', encodeCursor(['1'])],
    ['an object instead of a position', Buffer.from('{"a":1}').toString('base64url')],
    ['a nested value', Buffer.from('[[1],"2"]').toString('base64url')],
  ])('reject %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    try {
      decodeCursor(cursor, 2)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).status).toBe(400)
      expect((error as AppError).code).toBe('INVALID_CURSOR')
    }
  })
})
