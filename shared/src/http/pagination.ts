import Type, { type TSchema } from 'typebox'
import { badRequest } from '../errors/app-error.ts'

/** `?limit=&cursor=` of every list endpoint. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'opaque; from next_cursor of the previous page' })),
}

/** `{ items, next_cursor }` of every list endpoint; next_cursor is null on the last page. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) })

type CursorValue = string | number

/** Cursors are opaque to clients: the sort position of the last item, base64url-encoded JSON. */
export const encodeCursor = (position: CursorValue[]) => Buffer.from(JSON.stringify(position)).toString('base64url')

/** Decodes a cursor made by encodeCursor with `length` parts; anything else is a 400, never a 500. */
export function decodeCursor(cursor: string, length: number): CursorValue[] {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(position) && position.length === length && position.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      return position
    }
  } catch {
    // fall through
  }
  throw badRequest('INVALID_CURSOR', 'The cursor is not one this endpoint gave out.')
}
