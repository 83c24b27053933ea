import { defineErrors } from '@starling/shared/errors'

/** Every code the search service answers with besides the platform's (see README, Errors). */
export const errors = defineErrors('search', {
  SEARCH_QUERY_EMPTY: { status: 400, title: 'The query has nothing to look for' },
  SEARCH_QUERY_INVALID: { status: 400, title: 'The query cannot be read' },
  SEARCH_QUERY_TOO_COMPLEX: { status: 400, title: 'The query has too many terms' },
  SEARCH_QUERY_TOO_LONG: { status: 400, title: 'The query is too long' },
  SEARCH_UNAVAILABLE: { status: 503, title: 'Search is unavailable for a moment' },
})
