import { createVersionedDocuments } from '../indexing/versioned-documents.memory.ts'
import { HIDING_KINDS, relationId, type RelationDocument, type RelationKind, type RelationRepository } from './relation.repository.ts'

/** The relations index (blocks, mutes, likes, retweets) in memory, for unit tests. */
export function createMemoryRelationRepository(): RelationRepository {
  const index = createVersionedDocuments<RelationDocument>()
  const active = (kind: RelationKind, actorId: string, targetId: string) =>
    index.get(relationId(kind, actorId, targetId))?.active ?? false
  return {
    save: (document, version) => index.save(relationId(document.kind, document.actor_id, document.target_id), document, version),
    async hiddenFrom(userId) {
      const ids = index.all().flatMap((relation) => {
        if (!relation.active || !HIDING_KINDS.includes(relation.kind)) return []
        if (relation.actor_id === userId) return [relation.target_id]
        return relation.kind === 'block' && relation.target_id === userId ? [relation.actor_id] : []
      })
      return [...new Set(ids)]
    },
    async engagementsOf(userId, tweetIds) {
      return new Map(tweetIds.map((id) => [id, { liked: active('like', userId, id), retweeted: active('retweet', userId, id) }]))
    },
  }
}
