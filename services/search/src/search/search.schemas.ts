import { Page, PageQuery } from '@starling/shared'
import Type from 'typebox'
import { UserHit } from '../users/user-search.schemas.ts'

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, description: 'what to look for' }),
  type: Type.Union([Type.Literal('users')], { default: 'users', description: 'what kind of result' }),
  ...PageQuery,
}, { additionalProperties: false })
export type SearchQuery = Type.Static<typeof SearchQuery>

export const UserResults = Page(UserHit)
