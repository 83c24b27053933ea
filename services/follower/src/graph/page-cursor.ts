import { badRequest } from '@starling/shared/errors'
import { decodeCursor, encodeCursor } from '@starling/shared/http'
import { isId } from '@starling/shared/schemas'

/**
 * Where a list page ends: the edge's creation time in microseconds since the epoch (exact, unlike
 * a millisecond Date) and the listed user's id, which breaks ties between edges of the same instant.
 */
export interface Position {
  micros: number
  id: string
}

const invalid = () => badRequest('INVALID_CURSOR', 'The cursor is not one this endpoint gave out.')

export const encodePosition = (position: Position) => encodeCursor([position.micros, position.id])

/** The position a cursor names; a cursor that decodes but holds anything else is a 400, never a 500 from SQL. */
export function decodePosition(cursor: string): Position {
  const [micros, id] = decodeCursor(cursor, 2)
  if (typeof micros !== 'number' || !Number.isSafeInteger(micros) || micros < 0) throw invalid()
  if (typeof id !== 'string' || !isId(id)) throw invalid()
  return { micros, id }
}

/** Rows were fetched with limit + 1: the extra one only says whether another page follows. */
export function toPage<R extends Position, T>(rows: R[], limit: number, toItem: (row: R) => T) {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items: items.map(toItem), next_cursor: rows.length > limit && last ? encodePosition(last) : null }
}
