import type { GraphRepository, ListedUser, PageWindow } from './graph.repository.ts'

/** An account the in-memory graph can list. */
export interface MemoryUser {
  id: string
  username: string
}

/**
 * The graph's tables in memory, for unit tests of the rules: edges with their creation time,
 * listed newest first by (time, id) as the SQL does. `clock` gives each new edge its time.
 */
export function createMemoryGraphRepository(users: MemoryUser[], clock = (() => { let t = Date.parse('2026-01-01T00:00:00Z'); return () => new Date(t += 1000) })()): GraphRepository {
  const profiles = new Map(users.map((user) => [user.id, user]))
  function edges() {
    const table = new Map<string, { from: string; to: string; at: Date }>()
    const key = (from: string, to: string) => `${from}>${to}`
    function list(side: 'from' | 'to', id: string, page: PageWindow): ListedUser[] {
      const shown = side === 'from' ? 'to' : 'from'
      return [...table.values()]
        .filter((edge) => edge[side] === id)
        .map((edge) => {
          const user = profiles.get(edge[shown])!
          return { id: user.id, username: user.username, display_name: user.username, at: edge.at.toISOString(), micros: edge.at.getTime() * 1000 }
        })
        .sort((a, b) => b.micros - a.micros || Number(BigInt(b.id) - BigInt(a.id)))
        .filter((row) => !page.after || row.micros < page.after.micros || (row.micros === page.after.micros && BigInt(row.id) < BigInt(page.after.id)))
        .slice(0, page.limit)
    }
    return {
      async add(from: string, to: string) {
        if (table.has(key(from, to))) return undefined
        const at = clock()
        table.set(key(from, to), { from, to, at })
        return at
      },
      async remove(from: string, to: string) {
        return table.delete(key(from, to)) ? clock() : undefined
      },
      listFrom: async (id: string, page: PageWindow) => list('from', id, page),
      listTo: async (id: string, page: PageWindow) => list('to', id, page),
      has: (from: string, to: string) => table.has(key(from, to)),
    }
  }
  const follows = edges()
  const blocks = edges()
  const mutes = edges()
  return {
    follows,
    blocks,
    mutes,
    async lockPair() {},
    async relationship(viewer: string, other: string) {
      return {
        following: follows.has(viewer, other),
        followed_by: follows.has(other, viewer),
        blocking: blocks.has(viewer, other),
        blocked_by: blocks.has(other, viewer),
        muting: mutes.has(viewer, other),
      }
    },
    async blockersBetween(a: string, b: string) {
      return [a, b].filter((blocker) => blocks.has(blocker, blocker === a ? b : a))
    },
  }
}
