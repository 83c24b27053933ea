import type { PresenceStore } from './presence.store.ts'

/** Presence in memory, for unit tests: `present` is who is online; `calls` counts what was asked of it. */
export function createMemoryPresenceStore(): PresenceStore & { present: Set<string>; calls: Record<'count' | 'among' | 'all', number> } {
  const present = new Set<string>()
  const calls = { count: 0, among: 0, all: 0 }
  return {
    present,
    calls,
    async mark(userIds) {
      for (const id of userIds) present.add(id)
    },
    async count() {
      calls.count++
      return present.size
    },
    async among(userIds) {
      calls.among++
      return userIds.filter((id) => present.has(id))
    },
    async all() {
      calls.all++
      return [...present]
    },
  }
}
