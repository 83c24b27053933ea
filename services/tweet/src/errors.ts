import { defineErrors } from '@starling/shared/errors'

/** Every code the tweet service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('tweet', {
  TWT_TEXT_LENGTH: { status: 400, title: 'A tweet has 1 to 280 characters' },
  TWT_TEXT_INVALID: { status: 400, title: 'The text has a character a tweet cannot hold' },
  TWT_REPLY_TARGET_MISSING: { status: 400, title: 'No such tweet to reply to' },
  TWT_QUOTE_TARGET_MISSING: { status: 400, title: 'No such tweet to quote' },
  TWT_MEDIA_REJECTED: { status: 400, title: 'That picture was refused when it was processed' },
  TWT_AUTHOR_UNKNOWN: { status: 401, title: 'The token\'s account does not exist' },
  TWT_NOT_AUTHOR: { status: 403, title: 'Only the author can do that' },
  TWT_MEDIA_NOT_OWNER: { status: 403, title: 'Only the picture\'s owner can post it' },
  TWT_NOT_FOUND: { status: 404, title: 'No such tweet' },
  TWT_USER_NOT_FOUND: { status: 404, title: 'No such user' },
  TWT_MEDIA_NOT_FOUND: { status: 404, title: 'No such picture' },
  TWT_MEDIA_NOT_READY: { status: 409, title: 'The picture is still being processed' },
  TWT_MEDIA_ATTACHED: { status: 409, title: 'The picture is already on a tweet' },
  TWT_IDEMPOTENCY_MISMATCH: { status: 422, title: 'The Idempotency-Key was used for another request' },
  TWT_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service cannot confirm the account' },
})
