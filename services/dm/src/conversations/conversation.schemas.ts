import { Page } from '@starling/shared/http'
import { Id } from '@starling/shared/schemas'
import Type from 'typebox'
import { Message } from '../messages/message.schemas.ts'

export const Conversation = Type.Object({
  id: Id,
  other: Type.Object({ id: Id, username: Type.String(), display_name: Type.String() }, { description: 'the other person' }),
  last_message: Message,
  unread_count: Type.Integer({ description: 'messages from the other person since you last marked it read' }),
})
export type Conversation = Type.Static<typeof Conversation>

export const ConversationPage = Page(Conversation)
export const UnreadCount = Type.Object({ unread_count: Type.Integer() })
