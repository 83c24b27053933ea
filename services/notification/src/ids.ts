import { isUserId, UserId } from '@starling/shared'

/** Every id here (user, notification, tweet, conversation) has the same form: a 64-bit id as text. */
export const Id = UserId
/** An id a row could have: the pattern alone lets through 19-digit numbers beyond BIGINT. */
export const isId = isUserId
