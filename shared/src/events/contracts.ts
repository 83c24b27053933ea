import { Id } from '../schemas/id.ts'
import Type from 'typebox'

/*
 * Event payload contracts, by type and version. A breaking change is a new version beside the old
 * one, never an edit: consumers must keep reading every version still on the topics.
 */

const Timestamp = Type.String({ format: 'date-time' })

export const UserRegisteredV1 = Type.Object({
  user_id: Id,
  username: Type.String(),
  display_name: Type.String(),
  created_at: Timestamp,
}, { additionalProperties: false })

export const UserUpdatedV1 = Type.Object({
  user_id: Id,
  username: Type.String(),
  display_name: Type.String(),
  bio: Type.String(),
  updated_at: Timestamp,
}, { additionalProperties: false })

/** v1 and the profile picture: the media it is, and where its preview is served (both null for none). */
export const UserUpdatedV2 = Type.Object({
  ...UserUpdatedV1.properties,
  avatar_media_id: Type.Union([Id, Type.Null()]),
  avatar_url: Type.Union([Type.String(), Type.Null()]),
}, { additionalProperties: false })

/** The profile picture's URL in either version of user.updated (v1 had none). */
export const avatarOfUser = (payload: Type.Static<typeof UserUpdatedV1> | Type.Static<typeof UserUpdatedV2>) => ('avatar_url' in payload ? payload.avatar_url : null)

/** A follows B. Published only when the follow is new, so counts built from these stay exact. */
export const FollowCreatedV1 = Type.Object({
  follower_id: Id,
  followee_id: Id,
  created_at: Timestamp,
}, { additionalProperties: false })

/** A no longer follows B: they unfollowed, or one of them blocked the other. */
export const FollowDeletedV1 = Type.Object({
  follower_id: Id,
  followee_id: Id,
  reason: Type.Union([Type.Literal('unfollow'), Type.Literal('block')]),
  deleted_at: Timestamp,
}, { additionalProperties: false })

const BlockChange = Type.Object({ blocker_id: Id, blocked_id: Id, at: Timestamp }, { additionalProperties: false })
const MuteChange = Type.Object({ muter_id: Id, muted_id: Id, at: Timestamp }, { additionalProperties: false })

export const BlockCreatedV1 = BlockChange
export const BlockDeletedV1 = BlockChange
export const MuteCreatedV1 = MuteChange
export const MuteDeletedV1 = MuteChange

const NullableId = Type.Union([Id, Type.Null()])

/**
 * A tweet was posted. `conversation_id` is the id of the thread's first tweet and the message
 * key, so a reply is always behind the tweet it answers on its partition.
 */
export const TweetCreatedV1 = Type.Object({
  tweet_id: Id,
  author_id: Id,
  text: Type.String(),
  conversation_id: Id,
  reply_to_id: NullableId,
  reply_to_author_id: NullableId,
  quote_of_id: NullableId,
  quote_of_author_id: NullableId,
  /** Mentioned accounts that exist; unknown @names are left out. */
  mentions: Type.Array(Type.Object({ user_id: Id, username: Type.String() }, { additionalProperties: false })),
  /** Lower-cased, without the #. */
  hashtags: Type.Array(Type.String()),
  created_at: Timestamp,
}, { additionalProperties: false })

/** A picture as a tweet carries it (the media service's media.processed, copied when the tweet is posted). */
const TweetMedia = Type.Object({
  id: Id,
  url: Type.String(),
  preview_url: Type.String(),
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
  alt_text: Type.String(),
}, { additionalProperties: false })

/** v1 and its pictures (none for a tweet without). */
export const TweetCreatedV2 = Type.Object({
  ...TweetCreatedV1.properties,
  media: Type.Array(TweetMedia, { maxItems: 4 }),
}, { additionalProperties: false })

/** The pictures of a posted tweet, in either version of tweet.created (v1 had none). */
export const mediaOfTweet = (payload: Type.Static<typeof TweetCreatedV1> | Type.Static<typeof TweetCreatedV2>) => ('media' in payload ? payload.media : [])

export const TweetDeletedV1 = Type.Object({
  tweet_id: Id,
  author_id: Id,
  conversation_id: Id,
  deleted_at: Timestamp,
}, { additionalProperties: false })

/** Likes and retweets carry the tweet's count after the change, so copies can simply take it. */
const LikeChange = Type.Object({
  tweet_id: Id,
  user_id: Id,
  tweet_author_id: Id,
  like_count: Type.Integer({ minimum: 0 }),
  at: Timestamp,
}, { additionalProperties: false })

/** `retweet_id` orders the retweet in timelines (it is newer than the tweet it shares). */
const RetweetChange = Type.Object({
  retweet_id: Id,
  tweet_id: Id,
  user_id: Id,
  tweet_author_id: Id,
  retweet_count: Type.Integer({ minimum: 0 }),
  at: Timestamp,
}, { additionalProperties: false })

export const LikeCreatedV1 = LikeChange
export const LikeDeletedV1 = LikeChange
export const RetweetCreatedV1 = RetweetChange
export const RetweetDeletedV1 = RetweetChange

/** A direct message was sent. Keyed by conversation, so a conversation's messages stay in order. */
export const MessageCreatedV1 = Type.Object({
  message_id: Id,
  conversation_id: Id,
  sender_id: Id,
  recipient_id: Id,
  text: Type.String(),
  created_at: Timestamp,
}, { additionalProperties: false })

/**
 * A login (a refresh-token family) ended: its owner signed out, or a spent refresh token came back
 * (stolen or replayed). Every access token of the session is refused from then on; none of them
 * outlives `tokens_valid_until`, after which the revocation itself may be forgotten.
 */
export const LoginRevokedV1 = Type.Object({
  user_id: Id,
  session_id: Type.String({ format: 'uuid' }),
  reason: Type.Union([Type.Literal('logout'), Type.Literal('refresh_reuse')]),
  revoked_at: Timestamp,
  tokens_valid_until: Timestamp,
}, { additionalProperties: false })

/** A picture's file arrived in the store (its owner said so, and the store confirmed it). */
export const MediaUploadedV1 = Type.Object({
  media_id: Id,
  owner_id: Id,
  content_type: Type.String(),
  size: Type.Integer({ minimum: 1 }),
  uploaded_at: Timestamp,
}, { additionalProperties: false })

/** The file was checked and stored as a normalized original and a preview, without metadata. */
export const MediaProcessedV1 = Type.Object({
  media_id: Id,
  owner_id: Id,
  url: Type.String(),
  preview_url: Type.String(),
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
  alt_text: Type.String(),
  /** A tiny WebP as a data: URL. */
  placeholder: Type.String(),
  processed_at: Timestamp,
}, { additionalProperties: false })

/** The file was not the image it claimed to be (or could not be decoded); it was deleted. */
export const MediaRejectedV1 = Type.Object({
  media_id: Id,
  owner_id: Id,
  reason: Type.String(),
  rejected_at: Timestamp,
}, { additionalProperties: false })

/** The picture's files were deleted: its tweet was deleted, or nothing used the upload within a day. */
export const MediaDeletedV1 = Type.Object({
  media_id: Id,
  owner_id: Id,
  reason: Type.Union([Type.Literal('tweet_deleted'), Type.Literal('unused')]),
  deleted_at: Timestamp,
}, { additionalProperties: false })

export const contracts = {
  'user.registered': { 1: UserRegisteredV1 },
  'user.updated': { 1: UserUpdatedV1, 2: UserUpdatedV2 },
  'follow.created': { 1: FollowCreatedV1 },
  'follow.deleted': { 1: FollowDeletedV1 },
  'block.created': { 1: BlockCreatedV1 },
  'block.deleted': { 1: BlockDeletedV1 },
  'mute.created': { 1: MuteCreatedV1 },
  'mute.deleted': { 1: MuteDeletedV1 },
  'tweet.created': { 1: TweetCreatedV1, 2: TweetCreatedV2 },
  'tweet.deleted': { 1: TweetDeletedV1 },
  'like.created': { 1: LikeCreatedV1 },
  'like.deleted': { 1: LikeDeletedV1 },
  'retweet.created': { 1: RetweetCreatedV1 },
  'retweet.deleted': { 1: RetweetDeletedV1 },
  'message.created': { 1: MessageCreatedV1 },
  'login.revoked': { 1: LoginRevokedV1 },
  'media.uploaded': { 1: MediaUploadedV1 },
  'media.processed': { 1: MediaProcessedV1 },
  'media.rejected': { 1: MediaRejectedV1 },
  'media.deleted': { 1: MediaDeletedV1 },
} as const

export type EventType = keyof typeof contracts
export type EventVersion<T extends EventType> = keyof (typeof contracts)[T] & number
export type PayloadOf<T extends EventType, V extends EventVersion<T> = EventVersion<T>> =
  Type.Static<(typeof contracts)[T][V] extends infer S extends Type.TSchema ? S : never>
