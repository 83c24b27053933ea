import { badRequest, forbidden } from '@starling/shared/errors'
import { decodeCursor, encodeCursor } from '@starling/shared/http'
import { isId } from '@starling/shared/schemas'
import type { NotificationType } from './notification-rules.ts'
import type { NotificationRepository } from './notification.repository.ts'
import type { InboxQuery } from './notification.schemas.ts'

const invalidCursor = () => badRequest('INVALID_CURSOR', 'The cursor is not one this endpoint gave out.')

/** Reading an inbox and marking it read; each inbox is its owner's alone. */
export function createNotificationService(deps: { notifications: NotificationRepository }) {
  const { notifications } = deps

  function ownerOnly(userId: string, requesterId: string) {
    if (userId !== requesterId) throw forbidden('NTF_NOT_YOURS', 'Notifications can only be read and marked by their recipient.')
  }

  function before(cursor: string | undefined) {
    if (!cursor) return undefined
    const [id] = decodeCursor(cursor, 1)
    if (typeof id !== 'string' || !isId(id)) throw invalidCursor()
    return id
  }

  return {
    async inbox(userId: string, requesterId: string, query: InboxQuery) {
      ownerOnly(userId, requesterId)
      const types = query.types ? [...new Set(query.types.split(','))] as NotificationType[] : undefined
      const after = before(query.cursor)
      const rows = await notifications.page(userId, { limit: query.limit + 1, ...(types ? { types } : {}), ...(after ? { before: after } : {}) })
      const items = rows.slice(0, query.limit)
      const last = items.at(-1)
      return {
        items,
        unread_count: await notifications.unreadCount(userId),
        next_cursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
      }
    },

    async markRead(userId: string, requesterId: string, upToId?: string) {
      ownerOnly(userId, requesterId)
      if (upToId !== undefined && !isId(upToId)) throw badRequest('NTF_INVALID_ID', 'up_to_id is not a notification id.', [{ field: 'up_to_id', message: 'not an id' }])
      await notifications.markRead(userId, upToId)
      return { unread_count: await notifications.unreadCount(userId) }
    },
  }
}
export type NotificationService = ReturnType<typeof createNotificationService>
