import type { Client } from '@elastic/elasticsearch'
import type { IndexSpec } from '../indices.ts'
import type { BulkWriter } from '../indexing/bulk-writer.ts'

export type RelationKind = 'block' | 'mute'

export interface RelationDocument {
  kind: RelationKind
  actor_id: string
  target_id: string
  active: boolean
}

/** More than this many blocks and mutes around one person are not all applied to their searches. */
export const MAX_HIDDEN_AUTHORS = 10_000

/** Blocks and mutes as far as search needs them: whose content to leave out for whom. */
export function createRelationRepository(client: Client, writer: BulkWriter, index: IndexSpec) {
  return {
    /** An ended block or mute is kept with active: false, so a late copy of its start loses to it. */
    save: (document: RelationDocument, version: number) =>
      writer.write({ index: index.writeAlias, id: `${document.kind}:${document.actor_id}:${document.target_id}`, document, version }),

    /** Who `userId` must not see: those who blocked them, and those they blocked or muted. */
    async hiddenFrom(userId: string): Promise<string[]> {
      const result = await client.search<RelationDocument>({
        index: index.alias,
        size: MAX_HIDDEN_AUTHORS,
        _source: ['actor_id', 'target_id'],
        query: {
          bool: {
            filter: [{ term: { active: true } }],
            should: [
              { bool: { filter: [{ term: { kind: 'block' } }, { term: { target_id: userId } }] } },
              { term: { actor_id: userId } },
            ],
            minimum_should_match: 1,
          },
        },
      })
      const ids = result.hits.hits.map((hit) => (hit._source!.actor_id === userId ? hit._source!.target_id : hit._source!.actor_id))
      return [...new Set(ids)]
    },
  }
}
export type RelationRepository = ReturnType<typeof createRelationRepository>
