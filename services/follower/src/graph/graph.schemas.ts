import { Page, PageQuery } from '@starling/shared/http'
import { Id } from '@starling/shared/schemas'
import Type from 'typebox'

/** The body of every follow/block/mute change: whom it is about. */
export const Target = Type.Object({ user_id: Id }, { additionalProperties: false })
export const UserParams = Type.Object({ user_id: Id }, { additionalProperties: false })
export const ListQuery = Type.Object(PageQuery, { additionalProperties: false })
export type ListQuery = Type.Static<typeof ListQuery>

export const Following = Type.Object({ following: Type.Boolean() })
export const Blocking = Type.Object({ blocking: Type.Boolean() })
export const Muting = Type.Object({ muting: Type.Boolean() })

const Profile = { id: Id, username: Type.String(), display_name: Type.String() }
export const FollowPage = Page(Type.Object({ ...Profile, followed_at: Type.String({ format: 'date-time' }) }))
export const RelationPage = Page(Type.Object({ ...Profile, since: Type.String({ format: 'date-time', description: 'when you blocked or muted them' }) }))

export const Relationship = Type.Object({
  id: Id,
  following: Type.Boolean({ description: 'you follow them' }),
  followed_by: Type.Boolean({ description: 'they follow you' }),
  blocking: Type.Boolean({ description: 'you have blocked them' }),
  blocked_by: Type.Boolean({ description: 'they have blocked you' }),
  muting: Type.Boolean({ description: 'you have muted them' }),
})
