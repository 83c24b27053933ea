import { badRequest } from '@starling/shared/errors'
import { decodeCursor, encodeCursor } from '@starling/shared/http'
import { isId } from '@starling/shared/schemas'

const invalid = () => badRequest('INVALID_CURSOR', 'The cursor is not one this endpoint gave out.')

/** Lists are ordered by tweet id (time-ordered and unique), so the last id is the whole position. */
export const encodePosition = (id: string) => encodeCursor([id])

/** The id a cursor names; a cursor that decodes but holds anything else is a 400, never a 500 from SQL. */
export function decodePosition(cursor: string): string {
  const [id] = decodeCursor(cursor, 1)
  if (typeof id !== 'string' || !isId(id)) throw invalid()
  return id
}

/** Rows were fetched with limit + 1: the extra one only says whether another page follows. */
export function toPage<T extends { id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next_cursor: rows.length > limit && last ? encodePosition(last.id) : null }
}
