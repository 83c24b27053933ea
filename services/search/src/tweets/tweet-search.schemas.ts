import Type from 'typebox'
import { UserHit } from '../users/user-search.schemas.ts'

const NullableString = Type.Union([Type.String(), Type.Null()])

export const TweetHit = Type.Object({
  id: Type.String(),
  text: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  author: UserHit,
  conversation_id: Type.String(),
  reply_to_id: NullableString,
  quote_of_id: NullableString,
  mentions: Type.Array(Type.Object({ user_id: Type.String(), username: Type.String() })),
  hashtags: Type.Array(Type.String()),
  like_count: Type.Integer(),
  retweet_count: Type.Integer(),
  reply_count: Type.Integer(),
  highlight: Type.Optional(Type.String({ description: 'with ?highlight=true: the text, HTML-escaped, matched words in <em>' })),
})
export type TweetHit = Type.Static<typeof TweetHit>

/** A live tweet as indexed. */
export interface TweetDocument {
  tweet_id: string
  author_id: string
  text: string
  hashtags: string[]
  mentions: { user_id: string; username: string }[]
  conversation_id: string
  reply_to_id: string | null
  quote_of_id: string | null
  created_at: string
  deleted: false
}

/** What is left of a deleted tweet: enough to refuse its creation again. */
export interface TweetTombstone {
  tweet_id: string
  author_id: string
  conversation_id: string
  deleted: true
  deleted_at: string
}

export type CountKind = 'like' | 'retweet'

export interface CountDocument {
  tweet_id: string
  kind: CountKind
  count: number
}
