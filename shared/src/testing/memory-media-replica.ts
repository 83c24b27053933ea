import type { MediaReplicaRepository, ReplicaMedia } from '../replicas/media-replica.ts'

/** A copy of the uploads in memory, with the rule the SQL keeps (a settled state stays); `rows` is the table. */
export function createMemoryMediaReplicaRepository(): MediaReplicaRepository & { rows: Map<string, ReplicaMedia> } {
  const rows = new Map<string, ReplicaMedia>()
  return {
    rows,
    async record({ id, ownerId, state, attachment }) {
      const row = rows.get(id)
      if (row && (row.state !== 'pending' || state === 'pending')) return
      rows.set(id, { ...row, id, owner_id: ownerId, state, attachment: attachment ?? null })
    },
    async forget(id) {
      rows.delete(id)
    },
    get: async (id) => rows.get(id),
  }
}
