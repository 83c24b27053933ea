import { PageQuery } from '@starling/shared/http'
import { Id } from '@starling/shared/schemas'
import Type from 'typebox'
import { NOTIFICATION_TYPES } from './notification-rules.ts'

const TYPE_LIST = `^(${NOTIFICATION_TYPES.join('|')})(,(${NOTIFICATION_TYPES.join('|')}))*$`

export const InboxParams = Type.Object({ user_id: Id }, { additionalProperties: false })

export const InboxQuery = Type.Object({
  ...PageQuery,
  types: Type.Optional(Type.String({ pattern: TYPE_LIST, maxLength: 200, description: `comma-separated, any of: ${NOTIFICATION_TYPES.join(', ')}` })),
}, { additionalProperties: false })
export type InboxQuery = Type.Static<typeof InboxQuery>

export const MarkRead = Type.Object({
  up_to_id: Type.Optional(Id),
}, { additionalProperties: false, description: 'marks read every notification up to and including up_to_id, or all of them' })

export const NotificationItem = Type.Object({
  id: Type.String(),
  type: Type.Enum(NOTIFICATION_TYPES),
  actor: Type.Object({ id: Type.String(), username: Type.String(), display_name: Type.String() }),
  tweet_id: Type.Optional(Type.String({ description: 'the liked or retweeted tweet; the reply or the mentioning tweet' })),
  conversation_id: Type.Optional(Type.String({ description: 'of a message notification' })),
  created_at: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
})
export type NotificationItem = Type.Static<typeof NotificationItem>

export const Inbox = Type.Object({
  items: Type.Array(NotificationItem),
  unread_count: Type.Integer({ description: 'unread notifications of every type' }),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
})

export const UnreadCount = Type.Object({ unread_count: Type.Integer() })
