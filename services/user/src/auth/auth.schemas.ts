import Type from 'typebox'
import { PublicProfile } from '../users/user.schemas.ts'

export const Credentials = Type.Object({
  // No pattern: whatever is typed here, a wrong sign-in is a 401 like any other (auth.service.ts).
  username: Type.String({ minLength: 1, maxLength: 254, description: 'username or email' }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
}, { additionalProperties: false })
export type Credentials = Type.Static<typeof Credentials>

export const RefreshRequest = Type.Object({
  refresh_token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$', description: 'as a sign-in or a refresh gave it out' }),
}, { additionalProperties: false })

export const Session = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'seconds the access token is valid' }),
  refresh_token: Type.String({ description: 'single use; each refresh returns the next one' }),
  user: PublicProfile,
})
export type Session = Type.Static<typeof Session>
