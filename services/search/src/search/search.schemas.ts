import { Page, PageQuery } from '@starling/shared/http'
import { Text } from '@starling/shared/schemas'
import Type from 'typebox'
import { TweetHit } from '../tweets/tweet-search.schemas.ts'
import { UserHit } from '../users/user-search.schemas.ts'
import { MAX_QUERY_LENGTH } from './query-text.ts'

export const SearchQuery = Type.Object({
  q: Text({
    minLength: 1, maxLength: MAX_QUERY_LENGTH,
    description: 'tweets: words, #tags (all must be on the tweet) and from:username; users: a username or display name; hashtags: the start of a tag',
  }),
  type: Type.Union([Type.Literal('tweets'), Type.Literal('users'), Type.Literal('hashtags')], { default: 'tweets', description: 'what kind of result' }),
  highlight: Type.Boolean({ default: false, description: 'tweets: add `highlight`, the text with the matched words in <em>' }),
  ...PageQuery,
}, { additionalProperties: false })
export type SearchQuery = Type.Static<typeof SearchQuery>

export const HashtagHit = Type.Object({
  tag: Type.String({ description: 'lower-cased, without the #' }),
  count: Type.Integer({ description: 'live tweets using it' }),
})

export const TweetResults = Page(TweetHit)
export const UserResults = Page(UserHit)
export const HashtagResults = Page(HashtagHit)
export const SearchResults = Type.Union([TweetResults, UserResults, HashtagResults])
