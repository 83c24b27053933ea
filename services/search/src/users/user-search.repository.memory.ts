import { byKeyword, createVersionedDocuments } from '../indexing/versioned-documents.memory.ts'
import type { UserSearchRepository } from './user-search.repository.ts'
import type { UserDocument, UserHit } from './user-search.schemas.ts'

const toHit = (user: UserDocument): UserHit => ({ id: user.user_id, username: user.username, display_name: user.display_name, avatar_url: user.avatar_url ?? null })
// Roughly the standard analyzer: lower-cased runs of letters and digits.
const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{M}\p{N}_]+/u).filter(Boolean)

/**
 * The users index in memory, for unit tests. Scored as the real query's clauses add up: the exact
 * username 10, a username prefix 3, every word in the display name 1; then by user_id ascending.
 */
export function createMemoryUserSearchRepository(): UserSearchRepository {
  const index = createVersionedDocuments<UserDocument>()
  return {
    save: (document, version) => index.save(document.user_id, document, version),

    async search(q, options) {
      const lower = q.toLowerCase().replace(/^@/, '')
      const hits = index.all().flatMap((user) => {
        if (options.hiddenIds.includes(user.user_id)) return []
        const name = new Set(words(user.display_name))
        const score = (user.username_lower === lower ? 10 : 0) + (user.username_lower.startsWith(lower) ? 3 : 0) + (words(q).every((word) => name.has(word)) ? 1 : 0)
        return score > 0 ? [{ user: toHit(user), sort: [score, user.user_id] as [number, string] }] : []
      })
      const after = options.after
      return hits
        .sort((a, b) => b.sort[0] - a.sort[0] || byKeyword(a.sort[1], b.sort[1]))
        .filter((hit) => !after || hit.sort[0] < after[0] || (hit.sort[0] === after[0] && hit.sort[1] > after[1]))
        .slice(0, options.size)
    },

    idOf: async (username) => index.all().find((user) => user.username_lower === username.toLowerCase())?.user_id,

    async byIds(ids) {
      return new Map(ids.flatMap((id) => { const user = index.get(id); return user ? [[id, toHit(user)] as const] : [] }))
    },
  }
}
