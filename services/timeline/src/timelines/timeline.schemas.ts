import { Page, PageQuery } from '@starling/shared/http'
import { Id } from '@starling/shared/schemas'
import Type from 'typebox'

const UserRef = Type.Object({ id: Type.String(), username: Type.String(), display_name: Type.String() })

export const TimelineItem = Type.Object({
  id: Type.String(),
  text: Type.String(),
  created_at: Type.String(),
  author: UserRef,
  conversation_id: Type.String(),
  reply_to_id: Type.Union([Type.String(), Type.Null()]),
  quote_of_id: Type.Union([Type.String(), Type.Null()]),
  mentions: Type.Array(Type.Object({ user_id: Type.String(), username: Type.String() })),
  hashtags: Type.Array(Type.String()),
  like_count: Type.Integer(),
  retweet_count: Type.Integer(),
  reply_count: Type.Integer(),
  retweeted_by: Type.Union([UserRef, Type.Null()], { description: 'who retweeted it into your timeline, if it came as a retweet' }),
})
export type TimelineItem = Type.Static<typeof TimelineItem>

export const TimelineParams = Type.Object({ user_id: Id })
export const TimelineQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const TimelinePage = Page(TimelineItem)
