import { Page, PageQuery } from '@starling/shared/http'
import { Id, IdempotencyHeaders, Text } from '@starling/shared/schemas'
import Type from 'typebox'

export const NewMessage = Type.Object({
  recipient_id: Id,
  // A bound on the work only: the limit of 1000 code points is checked after trimming (message-text.ts).
  text: Text({ maxLength: 4000, description: '1–1000 characters (Unicode code points) after trimming' }),
}, { additionalProperties: false })
export type NewMessage = Type.Static<typeof NewMessage>

export const PostHeaders = IdempotencyHeaders('the first message instead of sending again')

export const Message = Type.Object({
  id: Id,
  conversation_id: Id,
  sender_id: Id,
  recipient_id: Id,
  text: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
})
export type Message = Type.Static<typeof Message>

export const ConversationParams = Type.Object({ conversation_id: Id }, { additionalProperties: false })
export const ListQuery = Type.Object(PageQuery, { additionalProperties: false })
export type ListQuery = Type.Static<typeof ListQuery>
export const MessagePage = Page(Message)
