import { createMemoryMediaReplicaRepository } from '@starling/shared/testing'
import type { MediaRepository } from './media.repository.ts'

/** The copy of the uploads in memory, for unit tests: what the media events write, and what tweets take. */
export function createMemoryMediaRepository() {
  const replica = createMemoryMediaReplicaRepository()
  const tweetOf = new Map<string, string>()
  const repository: MediaRepository = {
    lock: async (ids) => ids.flatMap((id) => {
      const row = replica.rows.get(id)
      return row ? [{ ...row, tweet_id: tweetOf.get(id) ?? null }] : []
    }),
    async attach(ids, tweetId) {
      for (const id of ids) tweetOf.set(id, tweetId)
    },
  }
  return { ...replica, ...repository }
}
