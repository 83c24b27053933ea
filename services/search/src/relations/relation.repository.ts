import type { Client } from '@elastic/elasticsearch'
import type { Viewer } from '@starling/shared/schemas'
import type { IndexSpec } from '../indices.ts'
import type { BulkWriter } from '../indexing/bulk-writer.ts'

/** block and mute: between two people (target = a user); like and retweet: a person's of a tweet (target = the tweet). */
export type RelationKind = 'block' | 'mute' | 'like' | 'retweet'

export interface RelationDocument {
  kind: RelationKind
  actor_id: string
  target_id: string
  active: boolean
}

/** The kinds that hide one person's content from another. */
export const HIDING_KINDS: RelationKind[] = ['block', 'mute']

/** More than this many blocks and mutes around one person are not all applied to their searches. */
export const MAX_HIDDEN_AUTHORS = 10_000

export const relationId = (kind: RelationKind, actorId: string, targetId: string) => `${kind}:${actorId}:${targetId}`

/**
 * Blocks and mutes as far as search needs them (whose content to leave out for whom), and the
 * reader's own likes and retweets (what their buttons show).
 */
export function createRelationRepository(client: Client, writer: BulkWriter, index: IndexSpec) {
  return {
    /** An ended relation is kept with active: false, so a late copy of its start loses to it. */
    save: (document: RelationDocument, version: number) =>
      writer.write({ index: index.writeAlias, id: relationId(document.kind, document.actor_id, document.target_id), document, version }),

    /** Who `userId` must not see: those who blocked them, and those they blocked or muted. */
    async hiddenFrom(userId: string): Promise<string[]> {
      const result = await client.search<RelationDocument>({
        index: index.alias,
        size: MAX_HIDDEN_AUTHORS,
        _source: ['actor_id', 'target_id'],
        query: {
          bool: {
            filter: [{ term: { active: true } }, { terms: { kind: HIDING_KINDS } }],
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

    /** Whether `userId` likes and has retweeted each of `tweetIds`, in one query; false for both when neither. */
    async engagementsOf(userId: string, tweetIds: string[]): Promise<Map<string, Viewer>> {
      const states = new Map(tweetIds.map((id) => [id, { liked: false, retweeted: false }]))
      if (tweetIds.length === 0) return states
      const result = await client.search<RelationDocument>({
        index: index.alias,
        // At most one document per tweet and kind (the document id is kind, actor and target).
        size: tweetIds.length * 2,
        _source: ['kind', 'target_id'],
        query: {
          bool: {
            filter: [
              { term: { actor_id: userId } },
              { terms: { kind: ['like', 'retweet'] } },
              { terms: { target_id: tweetIds } },
              { term: { active: true } },
            ],
          },
        },
      })
      for (const hit of result.hits.hits) {
        const state = states.get(hit._source!.target_id)
        if (!state) continue
        if (hit._source!.kind === 'like') state.liked = true
        else state.retweeted = true
      }
      return states
    },
  }
}
export type RelationRepository = ReturnType<typeof createRelationRepository>
