import { defineErrors } from '@starling/shared/errors'

/** Every code the tweet service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('tweet', {
  TWT_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service cannot confirm the account' },
})
