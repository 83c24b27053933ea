import { defineErrors } from '@starling/shared/errors'

/** Every code the notification service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('notification', {
  NTF_INVALID_ID: { status: 400, title: 'No notification has such an id' },
  NTF_NOT_YOURS: { status: 403, title: 'These notifications are someone else\'s' },
  WS_UPGRADE_REQUIRED: { status: 426, title: 'This endpoint speaks WebSocket only' },
  NTF_USER_SERVICE_UNAVAILABLE: { status: 503, title: 'The user service cannot confirm the account' },
})
