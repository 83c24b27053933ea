import { defineErrors } from '@starling/shared/errors'

/** Every code the dm service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('dm', {
  DM_TEXT_LENGTH: { status: 400, title: 'A message has 1 to 1000 characters' },
  DM_SELF: { status: 400, title: 'You cannot message yourself' },
  // A valid token of an account the service has never heard of (deleted, or another deployment's).
  DM_SENDER_UNKNOWN: { status: 401, title: 'Your account is not known here' },
  DM_BLOCKED: { status: 403, title: 'A block stands between you' },
  DM_USER_NOT_FOUND: { status: 404, title: 'No such user' },
  DM_CONVERSATION_NOT_FOUND: { status: 404, title: 'No such conversation' },
  DM_IDEMPOTENCY_MISMATCH: { status: 422, title: 'The Idempotency-Key was used for another message' },
  DM_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service cannot confirm the account' },
})
