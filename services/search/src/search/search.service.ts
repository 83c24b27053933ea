import { decodeCursor, encodeCursor, isTransientError, unavailable } from '@starling/shared'
import type { UserSearchRepository } from '../users/user-search.repository.ts'
import type { SearchQuery } from './search.schemas.ts'

export function createSearchService(deps: { users: UserSearchRepository }) {
  /** Elasticsearch being away is a 503 with Retry-After, not a 500. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (isTransientError(error)) throw unavailable('SEARCH_UNAVAILABLE', 'Search is temporarily unavailable.', 5)
      throw error
    }
  }

  return {
    async search(query: SearchQuery) {
      const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined
      const page = await guarded(() => deps.users.search(query.q.trim(), query.limit, after))
      return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null }
    },
  }
}
export type SearchService = ReturnType<typeof createSearchService>
