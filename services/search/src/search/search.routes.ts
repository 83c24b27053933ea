import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '@starling/shared'
import { SearchQuery, UserResults } from './search.schemas.ts'
import type { SearchService } from './search.service.ts'

export const searchRoutes: FastifyPluginAsyncTypebox<{ search: SearchService }> = async (app, { search }) => {
  app.get('/search/', {
    schema: {
      summary: 'Search accounts',
      querystring: SearchQuery,
      response: { 200: UserResults, 400: Problem, 503: Problem },
    },
  }, async (request) => search.search(request.query))
}
