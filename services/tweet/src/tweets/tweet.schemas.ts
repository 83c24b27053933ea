import { Page, PageQuery } from '@starling/shared/http'
import { Id, IdempotencyHeaders, Text, Tweet } from '@starling/shared/schemas'
import Type from 'typebox'

const NullableId = Type.Union([Id, Type.Null()])

export const NewTweet = Type.Object({
  // A bound on the work only: the limit of 280 code points is checked after trimming (tweet-text.ts).
  text: Text({ maxLength: 1000, description: '1–280 characters (Unicode code points) after trimming' }),
  reply_to_id: Type.Optional(NullableId),
  quote_of_id: Type.Optional(NullableId),
  media_ids: Type.Optional(Type.Array(Id, { maxItems: 4, uniqueItems: true, description: 'up to 4 of your own pictures, ready (GET /media/{id}), each on one tweet only' })),
}, { additionalProperties: false })
export type NewTweet = Type.Static<typeof NewTweet>

export const PostHeaders = IdempotencyHeaders('the first tweet instead of posting again')

export const TweetParams = Type.Object({ id: Id }, { additionalProperties: false })
export const UserParams = Type.Object({ user_id: Id }, { additionalProperties: false })
export const ListQuery = Type.Object(PageQuery, { additionalProperties: false })
export type ListQuery = Type.Static<typeof ListQuery>

export const TweetPage = Page(Tweet)
