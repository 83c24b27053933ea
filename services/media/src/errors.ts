import { defineErrors } from '@starling/shared/errors'

/** Every code the media service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('media', {
  MED_TOO_LARGE: { status: 400, title: 'The file is larger than uploads may be' },
  MED_NOT_FOUND: { status: 404, title: 'No such media' },
  MED_NOT_UPLOADED: { status: 409, title: 'The file has not arrived in the store' },
  MED_STORE_UNAVAILABLE: { status: 503, title: 'The object store is not answering' },
})
