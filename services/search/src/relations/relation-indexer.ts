import type { EventEnvelope } from '@starling/shared/events'
import type { RelationRepository } from './relation.repository.ts'

/**
 * Keeps blocks and mutes from the graph events. The events of one actor arrive in order; the
 * change's time is the version, so a redelivered older change cannot undo a newer one.
 */
export function createRelationIndexer(relations: RelationRepository) {
  return {
    async handle(event: EventEnvelope) {
      switch (event.type) {
        case 'block.created':
        case 'block.deleted': {
          const { blocker_id, blocked_id, at } = event.payload
          await relations.save({ kind: 'block', actor_id: blocker_id, target_id: blocked_id, active: event.type === 'block.created' }, Date.parse(at))
          return
        }
        case 'mute.created':
        case 'mute.deleted': {
          const { muter_id, muted_id, at } = event.payload
          await relations.save({ kind: 'mute', actor_id: muter_id, target_id: muted_id, active: event.type === 'mute.created' }, Date.parse(at))
          return
        }
      }
    },
  }
}
