import Type from 'typebox'

export const UserHit = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
})
export type UserHit = Type.Static<typeof UserHit>

export interface UserDocument {
  user_id: string
  username: string
  username_lower: string
  display_name: string
}
