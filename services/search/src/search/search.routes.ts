import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared/errors'
import { SearchQuery, SearchResults } from './search.schemas.ts'
import type { SearchService } from './search.service.ts'

export const searchRoutes: FastifyPluginAsyncTypebox<{ search: SearchService }> = async (app, { search }) => {
  app.get('/search/', {
    // Public; with a token, authors who blocked you and those you blocked or muted are left out.
    onRequest: [app.identify],
    schema: {
      summary: 'Search tweets, accounts or hashtags',
      security: [{}, { bearer: [] }],
      querystring: SearchQuery,
      response: { 200: SearchResults, 400: Problem, 401: Problem, 503: Problem },
    },
  }, async (request) => search.search(request.query, request.user?.id ?? null))
}
