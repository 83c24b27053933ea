import { actorOf, decodeEntry, encodeEntry, type Entry } from './entry.ts'
import type { GraphLookup, ReaderGraph, StoreOptions, TimelineStore } from './timeline.store.ts'

/**
 * The Redis side of timelines in memory, for unit tests: sorted sets of entry members in text
 * order, trimmed to the newest `maxEntries`, with the activity, generation and graph-cache keys the
 * real store's scripts keep (no expiry). `crash(lost)` is Redis back from a crash under a new run
 * id, without the members `lost` picks; `lapse(userId)` is a reader's activity expiring.
 */
export function createMemoryTimelineStore(options: Pick<StoreOptions, 'maxEntries'>): TimelineStore & { crash(lost?: (key: string, member: string) => boolean): void; lapse(userId: string): void } {
  const sets = new Map<string, Set<string>>()
  const keys = new Map<string, string>()
  let runId = 'run-1'
  const set = (key: string) => sets.get(key) ?? sets.set(key, new Set()).get(key)!
  const incr = (key: string) => keys.set(key, String(Number(keys.get(key) ?? '0') + 1))
  const generation = () => keys.get('generation') ?? '0'

  function add(key: string, entries: Entry[]) {
    const members = set(key)
    for (const entry of entries) members.add(encodeEntry(entry))
    const kept = [...members].sort().slice(-options.maxEntries)
    sets.set(key, new Set(kept))
  }
  function readRange(key: string, cursor: string | undefined, count: number) {
    return [...set(key)].filter((m) => cursor === undefined || m < cursor).sort().reverse().slice(0, count)
  }
  const home = (userId: string) => `home:${userId}`
  const author = (userId: string) => `author:${userId}`

  return {
    async fanout(entry, userIds) {
      const active = userIds.filter((userId) => keys.has(`active:${userId}`))
      for (const userId of active) add(home(userId), [entry])
      return active.length
    },
    async removeEverywhere(entry, userIds) {
      for (const userId of userIds) set(home(userId)).delete(encodeEntry(entry))
    },
    async removeActor(userId, actorId) {
      for (const member of set(home(userId))) if (actorOf(decodeEntry(member)) === actorId) set(home(userId)).delete(member)
    },
    addToHome: async (userId, entries) => add(home(userId), entries),
    addToAuthor: async (authorId, entry) => add(author(authorId), [entry]),
    removeFromAuthor: async (authorId, entry) => Number(set(author(authorId)).delete(encodeEntry(entry))),
    readHome: async (userId, cursor, count) => readRange(home(userId), cursor, count),
    async readAuthor(authorId, read, load) {
      if (keys.get(`built:${authorId}`) !== read.generation) {
        add(author(authorId), await load())
        keys.set(`built:${authorId}`, read.generation)
      }
      return readRange(author(authorId), read.after, read.count)
    },
    isActive: async (userId) => keys.has(`active:${userId}`),
    async touch(userId) {
      const previous = keys.get(`active:${userId}`)
      keys.set(`active:${userId}`, generation())
      return { trusted: previous === generation(), generation: generation() }
    },
    generation: async () => generation(),
    watch: async () => {},
    stop: () => {},
    async noticeRestart() {
      if (keys.get('run') === runId) return false
      keys.set('run', runId)
      incr('generation')
      incr('epoch')
      return true
    },
    async lookupGraph(userId): Promise<GraphLookup> {
      const value = keys.get(`graph:${userId}`)
      const epoch = keys.get('epoch') ?? ''
      const entry = value ? (JSON.parse(value) as { epoch: string; followees: ReaderGraph['followees']; hidden: string[] }) : undefined
      const cached = entry && entry.epoch === epoch ? { followees: entry.followees, hidden: new Set(entry.hidden) } : undefined
      return { cached, version: keys.get(`graph-version:${userId}`) ?? '', epoch }
    },
    async fillGraph(userId, lookup, value) {
      if ((keys.get(`graph-version:${userId}`) ?? '') !== lookup.version || (keys.get('epoch') ?? '') !== lookup.epoch) return false
      keys.set(`graph:${userId}`, JSON.stringify({ epoch: lookup.epoch, followees: value.followees, hidden: [...value.hidden] }))
      return true
    },
    async graphsChanged(userIds) {
      for (const userId of userIds) {
        incr(`graph-version:${userId}`)
        keys.delete(`graph:${userId}`)
      }
    },
    celebritiesChanged: async () => { incr('epoch') },
    resetHome: async (userId) => Number(sets.delete(home(userId))),
    lapse: (userId) => { keys.delete(`active:${userId}`) },
    crash(lost = () => false) {
      runId = `run-${Number(runId.slice(4)) + 1}`
      for (const [key, members] of sets) for (const member of members) if (lost(key, member)) members.delete(member)
    },
  }
}
