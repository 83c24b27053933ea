import { Id, Text } from '@starling/shared/schemas'
import Type from 'typebox'


export const NewUser = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9_]{3,30}$', description: '3–30 letters, digits or underscores; unique ignoring case' }),
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Text({ minLength: 8, maxLength: 128 }),
  display_name: Type.Optional(Text({ minLength: 1, maxLength: 50 })),
}, { additionalProperties: false })
export type NewUser = Type.Static<typeof NewUser>

/** What anyone may see of an account: never an email or a password hash. */
export const PublicProfile = Type.Object({
  id: Id,
  username: Type.String(),
  display_name: Type.String(),
  bio: Type.String(),
  avatar_url: Type.Union([Type.String(), Type.Null()], { description: 'the profile picture (at most 680 pixels a side); null for none' }),
  created_at: Type.String({ format: 'date-time' }),
  followers_count: Type.Integer(),
  following_count: Type.Integer(),
  tweets_count: Type.Integer(),
})
export type PublicProfile = Type.Static<typeof PublicProfile>

/** What the owner sees of their own account. */
export const PrivateProfile = Type.Object({ ...PublicProfile.properties, email: Type.String() })
export type PrivateProfile = Type.Static<typeof PrivateProfile>

export const ProfileChanges = Type.Object({
  display_name: Type.Optional(Text({ minLength: 1, maxLength: 50 })),
  bio: Type.Optional(Text({ maxLength: 160 })),
  avatar_media_id: Type.Optional(Type.Union([Id, Type.Null()], { description: 'one of your ready pictures (POST /media) as the profile picture; null for none' })),
}, { additionalProperties: false, minProperties: 1 })
export type ProfileChanges = Type.Static<typeof ProfileChanges>

export const Username = Type.String({ pattern: '^[A-Za-z0-9_]{3,30}$' })
