import type { EventEnvelope } from '@starling/shared/events'
import { afterCommit, type UnitOfWork } from '@starling/shared/outbox'
import { createTweetCache, type CacheStore } from './tweet.cache.ts'
import { createCacheChanges } from './tweet.cache-changes.ts'

/** The cache's store in a Map, for unit tests (nothing expires); while `bumpsFail`, changes fail as with Redis away. */
export function createMemoryCacheStore() {
  const values = new Map<string, string>()
  const state = { bumpsFail: false }
  const store: CacheStore = {
    async mget(keys) {
      return keys.map((key) => values.get(key) ?? null)
    },
    async set(entries) {
      for (const [key, value] of entries) values.set(key, value)
    },
    async bump(keys) {
      if (state.bumpsFail) throw new Error('Connection is closed.')
      for (const key of keys) values.set(key, String(Number(values.get(key) ?? '0') + 1))
    },
  }
  return Object.assign(state, { store, values })
}

/**
 * The tweet cache wired as compose.ts wires it, over a Map: `uow` tells it of each commit, and
 * `worker` is the worker's handler of the same events.
 */
export function memoryTweetCache<Repos>(uow: UnitOfWork<Repos>, replyTargetOf: (tweetId: string) => Promise<string | null>) {
  const store = createMemoryCacheStore()
  const cache = createTweetCache(store.store, { seconds: 60 })
  const changes = createCacheChanges({ cache, replyTargetOf })
  return {
    cache,
    store,
    uow: afterCommit(uow, changes.committed),
    worker: (event: EventEnvelope) => changes.handle(event),
  }
}
