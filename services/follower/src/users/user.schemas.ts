import Type from 'typebox'

// No leading zeros, so every user has exactly one spelling and ids compare as strings.
const ID_PATTERN = /^(0|[1-9][0-9]{0,18})$/
const INT64_MAX = 2n ** 63n - 1n

export const UserId = Type.String({ pattern: ID_PATTERN.source, description: 'time-ordered 64-bit id as a string' })

/** An id some user could have: the pattern also lets through 19-digit numbers beyond BIGINT. */
export const isUserId = (id: string) => ID_PATTERN.test(id) && BigInt(id) <= INT64_MAX

/** What the replica keeps of an account. */
export interface ReplicaUser {
  id: string
  username: string
  display_name: string
  /** The version: the time of the change this row reflects. */
  updated_at: string
}
