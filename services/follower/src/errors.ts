import { defineErrors } from '@starling/shared/errors'

/** Every code the follower service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('follower', {
  FLW_SELF: { status: 400, title: 'You cannot do that to yourself' },
  FLW_BLOCKED: { status: 403, title: 'A block stands between you' },
  FLW_USER_NOT_FOUND: { status: 404, title: 'No such user' },
  FLW_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service cannot confirm the account' },
})
