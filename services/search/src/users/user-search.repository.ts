import { PoisonEventError } from '@starling/shared'
import type { Client } from '@elastic/elasticsearch'
import type { UserDocument, UserHit } from './user-search.schemas.ts'

export function createUserSearchRepository(client: Client, alias: string) {
  return {
    /**
     * Writes the document under the user's id. The version is the event time (external_gte), so a
     * redelivered event rewrites the same state and an older one loses to a newer one.
     */
    async upsert(document: UserDocument, version: number) {
      try {
        await client.index({ index: alias, id: document.user_id, document, version, version_type: 'external_gte' })
      } catch (error) {
        if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 409) return
        throw error
      }
    },

    /**
     * Applies a profile change at `version`. The document is read and rewritten under external
     * versioning (this Elasticsearch has no scripts for partial updates), so a stale change loses.
     */
    async update(userId: string, changes: Omit<UserDocument, 'user_id' | 'created_at'>, version: number) {
      const existing = await client.get<UserDocument>({ index: alias, id: userId }, { ignore: [404] })
      // Registration comes first on the same partition; without it there is nothing to change.
      if (!existing.found || !existing._source) throw new PoisonEventError(`user ${userId} was never indexed`)
      await this.upsert({ ...existing._source, ...changes }, version)
    },

    /** Exact username first, then username prefixes, then display-name matches. */
    async search(q: string, limit: number, after?: (string | number)[]) {
      const lower = q.toLowerCase().replace(/^@/, '')
      const result = await client.search<UserDocument>({
        index: alias,
        size: limit + 1,
        query: {
          bool: {
            should: [
              { term: { username_lower: { value: lower, boost: 10 } } },
              { prefix: { username_lower: { value: lower, boost: 3 } } },
              { match: { display_name: { query: q, operator: 'and' } } },
            ],
            minimum_should_match: 1,
          },
        },
        sort: [{ _score: { order: 'desc' } }, { user_id: { order: 'asc' } }],
        ...(after ? { search_after: after } : {}),
        track_total_hits: false,
      })
      const hits = result.hits.hits
      const items: UserHit[] = hits.slice(0, limit).map((hit) => ({
        id: hit._source!.user_id, username: hit._source!.username, display_name: hit._source!.display_name,
      }))
      const next = hits.length > limit ? (hits[limit - 1]!.sort as (string | number)[]) : undefined
      return { items, next }
    },
  }
}
export type UserSearchRepository = ReturnType<typeof createUserSearchRepository>
