import Type from 'typebox'
import { Id } from './id.ts'

// The public objects more than one service answers with. Each service answers with these, so a
// tweet reads the same through GET /tweets/{id}, a timeline, a list of replies or search.

const NullableId = Type.Union([Id, Type.Null()])

/** An account as other objects refer to it. */
export const UserRef = Type.Object({
  id: Id,
  username: Type.String(),
  display_name: Type.String(),
  avatar_url: Type.Union([Type.String(), Type.Null()], { description: 'the profile picture (at most 680 pixels a side); null for none' }),
})
export type UserRef = Type.Static<typeof UserRef>

export const Mention = Type.Object({ user_id: Id, username: Type.String() })
export type Mention = Type.Static<typeof Mention>

/** A picture on a tweet: the media service's processed files, served by the gateway. */
export const MediaAttachment = Type.Object({
  id: Id,
  url: Type.String({ description: 'the normalized original, WebP without metadata' }),
  preview_url: Type.String({ description: 'at most 680 pixels on its longest side' }),
  width: Type.Integer({ description: 'of the original, in pixels' }),
  height: Type.Integer({ description: 'of the original, in pixels' }),
  alt_text: Type.String({ description: 'what the picture shows; empty when its owner gave none' }),
})
export type MediaAttachment = Type.Static<typeof MediaAttachment>

/** The reader's own state of a tweet, for drawing its buttons: only when the request carries a token. */
export const Viewer = Type.Object({
  liked: Type.Boolean({ description: 'the reader likes this tweet' }),
  retweeted: Type.Boolean({ description: 'the reader has retweeted this tweet' }),
})
export type Viewer = Type.Static<typeof Viewer>

/** Fields of a tweet, for the places that add their own (a timeline's retweeted_by, search's highlight). */
export const TweetFields = {
  id: Id,
  text: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  author: UserRef,
  conversation_id: Type.String({ description: 'id of the first tweet of the thread' }),
  reply_to_id: NullableId,
  quote_of_id: NullableId,
  mentions: Type.Array(Mention, { description: 'accounts that exist; unknown @names are left out' }),
  hashtags: Type.Array(Type.String(), { description: 'lower-cased, without the #' }),
  media: Type.Array(MediaAttachment, { description: 'up to 4 pictures, in the order posted' }),
  like_count: Type.Integer(),
  retweet_count: Type.Integer(),
  reply_count: Type.Integer(),
  viewer: Type.Optional(Viewer),
}

export const Tweet = Type.Object(TweetFields)
export type Tweet = Type.Static<typeof Tweet>
