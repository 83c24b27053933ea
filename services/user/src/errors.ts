import { defineErrors } from '@starling/shared/errors'

/** Every code the user service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('user', {
  USR_USERNAME_TAKEN: { status: 409, title: 'The username is taken' },
  USR_USERNAME_CONFUSABLE: { status: 409, title: 'The username reads the same as one taken' },
  USR_EMAIL_TAKEN: { status: 409, title: 'The email is registered already' },
  USR_NOT_FOUND: { status: 404, title: 'No such user' },
  USR_MEDIA_REJECTED: { status: 400, title: 'That picture was refused when it was processed' },
  USR_MEDIA_NOT_OWNER: { status: 403, title: 'Only the picture\'s owner can use it' },
  USR_MEDIA_NOT_FOUND: { status: 404, title: 'No such picture' },
  USR_MEDIA_NOT_READY: { status: 409, title: 'The picture is still being processed' },
  AUTH_BAD_CREDENTIALS: { status: 401, title: 'Wrong username or password' },
  AUTH_REFRESH_INVALID: { status: 401, title: 'The refresh token is not valid' },
  AUTH_BUSY: { status: 503, title: 'Too many sign-ins at once' },
})
