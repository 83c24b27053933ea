import { createVersionedDocuments } from '../indexing/versioned-documents.memory.ts'
import type { RelationDocument, RelationRepository } from './relation.repository.ts'

/** The blocks and mutes index in memory, for unit tests. */
export function createMemoryRelationRepository(): RelationRepository {
  const index = createVersionedDocuments<RelationDocument>()
  return {
    save: (document, version) => index.save(`${document.kind}:${document.actor_id}:${document.target_id}`, document, version),
    async hiddenFrom(userId) {
      const ids = index.all().flatMap((relation) => {
        if (!relation.active) return []
        if (relation.actor_id === userId) return [relation.target_id]
        return relation.kind === 'block' && relation.target_id === userId ? [relation.actor_id] : []
      })
      return [...new Set(ids)]
    },
  }
}
