import { Page, PageQuery } from '@starling/shared/http'
import { Id, TweetFields, UserRef } from '@starling/shared/schemas'
import Type from 'typebox'

export const TimelineItem = Type.Object({
  ...TweetFields,
  retweeted_by: Type.Union([UserRef, Type.Null()], { description: 'who retweeted it into your timeline, if it came as a retweet' }),
})
export type TimelineItem = Type.Static<typeof TimelineItem>

export const TimelineParams = Type.Object({ user_id: Id })
export const TimelineQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const TimelinePage = Page(TimelineItem)
