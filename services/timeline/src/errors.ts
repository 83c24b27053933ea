import { defineErrors } from '@starling/shared/errors'

/** Every code the timeline service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('timeline', {
  TML_NOT_YOURS: { status: 403, title: 'A home timeline is read only by its owner' },
})
