import type { DeletedMedia, MediaRepository, MediaRow } from './media.repository.ts'

/** A row and where it is used, as the table keeps it. */
type MemoryRow = MediaRow & { tweet_id: string | null; avatar_of: string | null }

/** The media repository in memory, for unit tests of the service's rules; `age` makes a row older. */
export function createMemoryMediaRepository(): MediaRepository & { rows: Map<string, MemoryRow>; age(id: string, seconds: number): void } {
  const rows = new Map<string, MemoryRow>()
  let next = 1000
  const now = () => new Date().toISOString()
  return {
    rows,
    async create({ ownerId, contentType, size, altText }) {
      const row: MemoryRow = {
        id: String(next++), owner_id: ownerId, content_type: contentType, size, alt_text: altText, state: 'pending',
        reason: null, width: null, height: null, placeholder: null, created_at: now(), uploaded_at: null, deleted: false,
        tweet_id: null, avatar_of: null,
      }
      rows.set(row.id, row)
      return shown(row)
    },
    find: async (id) => (rows.has(id) ? shown(rows.get(id)!) : undefined),
    lock: async (id) => (rows.has(id) ? shown(rows.get(id)!) : undefined),
    async markUploaded(id) {
      const row = rows.get(id)
      if (!row || row.uploaded_at) return undefined
      row.uploaded_at = now()
      return row.uploaded_at
    },
    async settle(id, outcome) {
      const row = rows.get(id)!
      Object.assign(row, outcome.state === 'ready'
        ? { state: 'ready', width: outcome.width, height: outcome.height, placeholder: outcome.placeholder }
        : { state: 'rejected', reason: outcome.reason })
      return now()
    },
    async attach(ids, tweetId) {
      for (const id of ids) { const row = rows.get(id); if (row && row.tweet_id === null) row.tweet_id = tweetId }
    },
    async useAsAvatar(id, userId) {
      const row = rows.get(id)
      if (row) row.avatar_of = userId
    },
    deleteOfTweet: async (tweetId) => remove([...rows.values()].filter((row) => row.tweet_id === tweetId)),
    deleteUnused: async (olderThanSeconds, limit) => remove([...rows.values()]
      .filter((row) => row.tweet_id === null && row.avatar_of === null && Date.parse(row.created_at) < Date.now() - olderThanSeconds * 1000)
      .slice(0, limit)),
    age(id, seconds) {
      const row = rows.get(id)!
      row.created_at = new Date(Date.parse(row.created_at) - seconds * 1000).toISOString()
    },
  }

  function shown(row: MemoryRow): MediaRow {
    const { tweet_id: _tweet, avatar_of: _avatar, ...media } = row
    return { ...media }
  }
  function remove(doomed: MemoryRow[]): DeletedMedia[] {
    return doomed.filter((row) => !row.deleted).map((row) => {
      row.deleted = true
      return { id: row.id, owner_id: row.owner_id, deleted_at: now() }
    })
  }
}
