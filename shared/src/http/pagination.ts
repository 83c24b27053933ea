import Type, { type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { platformErrors } from '../errors/catalogue.ts'
import { Id } from '../schemas/id.ts'

/** `?limit=&cursor=` of every list endpoint. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'opaque; from next_cursor of the previous page' })),
}

/** `{ items, next_cursor }` of every list endpoint; next_cursor is null on the last page. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) })

/** Parts a cursor's position is made of. */
export const CursorPart = {
  id: Id,
  /** A count or a time in whole units (microseconds, an offset), exact as a JSON number. */
  count: (maximum = Number.MAX_SAFE_INTEGER) => Type.Integer({ minimum: 0, maximum }),
  /** A sort value such as a relevance score. */
  number: Type.Number(),
}

/**
 * The cursors of one list: the sort position of a page's last item, base64url-encoded JSON, opaque
 * to clients. Decoding checks the position against `position`, so a cursor this list did not give
 * out is a 400 INVALID_CURSOR, never a 500 from the store it would have reached.
 */
export function cursorCodec<T extends TSchema>(position: T) {
  const validator = Compile(position)
  return {
    encode: (value: Type.Static<T>) => encodeCursor(value),
    decode(cursor: string): Type.Static<T> {
      let value: unknown
      try {
        value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
      } catch {
        throw invalidCursor()
      }
      if (!validator.Check(value)) throw invalidCursor()
      return value as Type.Static<T>
    },
  }
}

/** The cursor of a list ordered by a time-ordered id (tweets, messages, notifications): the last id. */
export const idCursor = cursorCodec(Type.Tuple([Id]))

/** Any value as a cursor is spelled; lists encode through their cursorCodec. */
export const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

const invalidCursor = () => platformErrors.INVALID_CURSOR('The cursor is not one this endpoint gave out.')

/**
 * A page of rows fetched with `limit + 1`: the extra one only says whether another page follows,
 * and `cursorAfter` makes the cursor of the last one shown.
 */
export function pageOf<T>(rows: T[], limit: number, cursorAfter: (last: T) => string) {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next_cursor: rows.length > limit && last !== undefined ? cursorAfter(last) : null }
}
