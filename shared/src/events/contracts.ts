import Type from 'typebox'

/*
 * Event payload contracts, by type and version. A breaking change is a new version beside the old
 * one, never an edit: consumers must keep reading every version still on the topics.
 */

const Id = Type.String({ pattern: '^[0-9]{1,20}$', description: 'time-ordered 64-bit id, as a string' })
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

const Pair = (actor: string, subject: string) => Type.Object({
  [actor]: Id,
  [subject]: Id,
  at: Timestamp,
}, { additionalProperties: false })

export const BlockCreatedV1 = Pair('blocker_id', 'blocked_id')
export const BlockDeletedV1 = Pair('blocker_id', 'blocked_id')
export const MuteCreatedV1 = Pair('muter_id', 'muted_id')
export const MuteDeletedV1 = Pair('muter_id', 'muted_id')

export const contracts = {
  'user.registered': { 1: UserRegisteredV1 },
  'user.updated': { 1: UserUpdatedV1 },
  'follow.created': { 1: FollowCreatedV1 },
  'follow.deleted': { 1: FollowDeletedV1 },
  'block.created': { 1: BlockCreatedV1 },
  'block.deleted': { 1: BlockDeletedV1 },
  'mute.created': { 1: MuteCreatedV1 },
  'mute.deleted': { 1: MuteDeletedV1 },
} as const

export type EventType = keyof typeof contracts
export type EventVersion<T extends EventType> = keyof (typeof contracts)[T] & number
export type PayloadOf<T extends EventType, V extends EventVersion<T> = EventVersion<T>> =
  Type.Static<(typeof contracts)[T][V] extends infer S extends Type.TSchema ? S : never>
