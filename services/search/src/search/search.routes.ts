import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors } from '../errors.ts'
import { SearchQuery, SearchResults } from './search.schemas.ts'
import type { SearchService } from './search.service.ts'

// A token is optional, but one that is sent must be good: a bad one is refused, not ignored.
const searchErrors = errors.responses(
  'VALIDATION_FAILED', 'INVALID_CURSOR', 'SEARCH_QUERY_EMPTY', 'SEARCH_QUERY_INVALID', 'SEARCH_QUERY_TOO_COMPLEX', 'SEARCH_QUERY_TOO_LONG',
  'AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_REVOKED', 'RATE_LIMITED', 'SEARCH_UNAVAILABLE',
)

export const searchRoutes: FastifyPluginAsyncTypebox<{ search: SearchService }> = async (app, { search }) => {
  app.get('/search/', {
    // Public; with a token, authors who blocked you and those you blocked or muted are left out,
    // and each tweet carries `viewer` (whether you like it and have retweeted it).
    onRequest: [app.identify],
    schema: {
      summary: 'Search tweets, accounts or hashtags',
      security: [{}, { bearer: [] }],
      querystring: SearchQuery,
      response: { 200: SearchResults, ...searchErrors },
    },
  }, async (request) => search.search(request.query, request.user?.id ?? null))
}
