import { badRequest } from '@starling/shared/errors'
import { decodeCursor, encodeCursor } from '@starling/shared/http'
import { isId } from '@starling/shared/schemas'

/**
 * Lists here are ordered by a time-ordered id, newest first (a message's, or a conversation's last
 * message's), so a page ends at one id and the next starts below it.
 */
export function cursorId(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined
  const [id] = decodeCursor(cursor, 1)
  // A cursor that decodes but holds anything else is a 400, never a 500 from SQL.
  if (typeof id !== 'string' || !isId(id)) throw badRequest('INVALID_CURSOR', 'The cursor is not one this endpoint gave out.')
  return id
}

/** Rows were fetched with limit + 1: the extra one only says whether another page follows. */
export function toPage<T>(rows: T[], limit: number, position: (item: T) => string) {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next_cursor: rows.length > limit && last ? encodeCursor([position(last)]) : null }
}
