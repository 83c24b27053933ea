import { UserRef } from '@starling/shared/schemas'

/** A user as search finds one: the public reference every service answers with. */
export const UserHit = UserRef
export type UserHit = UserRef

export interface UserDocument {
  user_id: string
  username: string
  username_lower: string
  display_name: string
  /** The profile picture; absent from documents indexed before profiles had one. */
  avatar_url?: string | null
}
