import type { MediaRecord, MediaRepository } from './media.repository.ts'

/** The replica of the uploads in memory, for unit tests; `rows` to look at. */
export function createMemoryMediaRepository(): MediaRepository & { rows: Map<string, MediaRecord> } {
  const rows = new Map<string, MediaRecord>()
  return {
    rows,
    async record({ id, ownerId, state, attachment }) {
      const row = rows.get(id)
      if (row && (row.state !== 'pending' || state === 'pending')) return
      rows.set(id, { id, owner_id: ownerId, state, attachment: attachment ?? null, tweet_id: row?.tweet_id ?? null })
    },
    async forget(id) {
      if (rows.get(id)?.tweet_id === null) rows.delete(id)
    },
    lock: async (ids) => ids.flatMap((id) => { const row = rows.get(id); return row ? [{ ...row }] : [] }),
    async attach(ids, tweetId) {
      for (const id of ids) rows.get(id)!.tweet_id = tweetId
    },
  }
}
