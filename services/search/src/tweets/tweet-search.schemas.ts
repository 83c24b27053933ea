import Type from 'typebox'
import { TweetFields, type MediaAttachment } from '@starling/shared/schemas'

export const TweetHit = Type.Object({
  ...TweetFields,
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
  /** Absent from documents indexed before tweets had pictures. */
  media?: MediaAttachment[]
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
