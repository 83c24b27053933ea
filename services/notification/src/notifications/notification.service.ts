import { idCursor, pageOf } from '@starling/shared/http'
import { isId } from '@starling/shared/schemas'
import { errors } from '../errors.ts'
import type { NotificationType } from './notification-rules.ts'
import type { NotificationRepository } from './notification.repository.ts'
import type { InboxQuery } from './notification.schemas.ts'

/** Reading an inbox and marking it read; each inbox is its owner's alone. */
export function createNotificationService(deps: { notifications: NotificationRepository }) {
  const { notifications } = deps

  function ownerOnly(userId: string, requesterId: string) {
    if (userId !== requesterId) throw errors.NTF_NOT_YOURS('Notifications can only be read and marked by their recipient.')
  }

  return {
    async inbox(userId: string, requesterId: string, query: InboxQuery) {
      ownerOnly(userId, requesterId)
      const types = query.types ? [...new Set(query.types.split(','))] as NotificationType[] : undefined
      const before = query.cursor ? idCursor.decode(query.cursor)[0] : undefined
      const rows = await notifications.page(userId, { limit: query.limit + 1, ...(types ? { types } : {}), ...(before ? { before } : {}) })
      const page = pageOf(rows, query.limit, (last) => idCursor.encode([last.id]))
      return { items: page.items, unread_count: await notifications.unreadCount(userId), next_cursor: page.next_cursor }
    },

    async markRead(userId: string, requesterId: string, upToId?: string) {
      ownerOnly(userId, requesterId)
      if (upToId !== undefined && !isId(upToId)) throw errors.NTF_INVALID_ID('up_to_id is not a notification id.', { errors: [{ field: 'up_to_id', message: 'not an id' }] })
      await notifications.markRead(userId, upToId)
      return { unread_count: await notifications.unreadCount(userId) }
    },
  }
}
export type NotificationService = ReturnType<typeof createNotificationService>
