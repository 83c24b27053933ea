import type { WriteOutcome } from './bulk-writer.ts'

/**
 * One index in memory, for unit tests: documents by id, each kept with its version as the bulk
 * writer's external_gte writes are (an equal or higher version replaces it, a lower one is stale).
 */
export function createVersionedDocuments<T>() {
  const stored = new Map<string, { document: T; version: number }>()
  return {
    async save(id: string, document: T, version: number): Promise<WriteOutcome> {
      const current = stored.get(id)
      if (current && current.version > version) return 'stale'
      stored.set(id, { document, version })
      return 'written'
    },
    get: (id: string) => stored.get(id)?.document,
    all: () => [...stored.values()].map((entry) => entry.document),
  }
}

/** Two keyword values in the order Elasticsearch sorts keywords (code points, not locale). */
export const byKeyword = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
