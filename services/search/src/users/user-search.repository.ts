import type { Client, estypes } from '@elastic/elasticsearch'
import type { IndexSpec } from '../indices.ts'
import type { BulkWriter } from '../indexing/bulk-writer.ts'
import type { UserDocument, UserHit } from './user-search.schemas.ts'

const toHit = (user: UserDocument): UserHit => ({ id: user.user_id, username: user.username, display_name: user.display_name, avatar_url: user.avatar_url ?? null })

export function createUserSearchRepository(client: Client, writer: BulkWriter, index: IndexSpec) {
  return {
    /** The whole document under the user's id; the change's time is the version (bulk-writer.ts). */
    save: (document: UserDocument, version: number) =>
      writer.write({ index: index.writeAlias, id: document.user_id, document, version }),

    /** Exact username first, then username prefixes, then display-name matches. */
    async search(q: string, options: { size: number; after?: [number, string]; hiddenIds: string[] }) {
      const lower = q.toLowerCase().replace(/^@/, '')
      const mustNot: estypes.QueryDslQueryContainer[] = options.hiddenIds.length > 0 ? [{ ids: { values: options.hiddenIds } }] : []
      const result = await client.search<UserDocument>({
        index: index.alias,
        // Every page of one search asks the same shard copies, which score alike (tweet-query.ts).
        preference: `page-${lower}`,
        size: options.size,
        query: {
          bool: {
            should: [
              { term: { username_lower: { value: lower, boost: 10 } } },
              { prefix: { username_lower: { value: lower, boost: 3 } } },
              // Constant, below a prefix: a rare word in a display name must not outrank a username.
              { constant_score: { filter: { match: { display_name: { query: q, operator: 'and' } } }, boost: 1 } },
            ],
            minimum_should_match: 1,
            must_not: mustNot,
          },
        },
        sort: [{ _score: { order: 'desc' } }, { user_id: { order: 'asc' } }],
        ...(options.after ? { search_after: options.after } : {}),
        track_total_hits: false,
      })
      return result.hits.hits.map((hit) => ({ user: toHit(hit._source!), sort: hit.sort as [number, string] }))
    },

    /** The id of the account with this username (any case), if it is indexed. */
    async idOf(username: string): Promise<string | undefined> {
      const result = await client.search<UserDocument>({
        index: index.alias, size: 1, _source: ['user_id'], query: { term: { username_lower: username.toLowerCase() } },
      })
      return result.hits.hits[0]?._source?.user_id
    },

    /** The accounts with these ids, as they are now. */
    async byIds(ids: string[]): Promise<Map<string, UserHit>> {
      if (ids.length === 0) return new Map()
      const result = await client.mget<UserDocument>({ index: index.alias, ids })
      return new Map(result.docs.flatMap((doc) => ('found' in doc && doc.found && doc._source ? [[doc._source.user_id, toHit(doc._source)]] : [])))
    },
  }
}
export type UserSearchRepository = ReturnType<typeof createUserSearchRepository>
