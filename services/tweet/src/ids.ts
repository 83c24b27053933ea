import Type from 'typebox'

// No leading zeros, so every id has exactly one spelling.
const ID_PATTERN = /^(0|[1-9][0-9]{0,18})$/
const INT64_MAX = 2n ** 63n - 1n

/** A tweet or user id in a path, body or cursor. */
export const Id = Type.String({ pattern: ID_PATTERN.source, description: 'time-ordered 64-bit id as a string' })

/** An id a row could have: the pattern also lets through 19-digit numbers beyond BIGINT, which SQL would reject with a 500. */
export const isId = (id: string) => ID_PATTERN.test(id) && BigInt(id) <= INT64_MAX
