import type { MediaRepository, MediaRow } from './media.repository.ts'

/** The media repository in memory, for unit tests of the service's rules. */
export function createMemoryMediaRepository(): MediaRepository & { rows: Map<string, MediaRow> } {
  const rows = new Map<string, MediaRow>()
  let next = 1000
  const now = () => new Date().toISOString()
  return {
    rows,
    async create({ ownerId, contentType, size, altText }) {
      const row: MediaRow = {
        id: String(next++), owner_id: ownerId, content_type: contentType, size, alt_text: altText, state: 'pending',
        reason: null, width: null, height: null, placeholder: null, created_at: now(), uploaded_at: null,
      }
      rows.set(row.id, row)
      return { ...row }
    },
    find: async (id) => (rows.has(id) ? { ...rows.get(id)! } : undefined),
    lock: async (id) => (rows.has(id) ? { ...rows.get(id)! } : undefined),
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
  }
}
