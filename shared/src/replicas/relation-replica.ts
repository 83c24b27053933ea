import type { EventEnvelope } from '../events/envelope.ts'
import type { Relation, ReplicaRepository } from './replica.repository.ts'

/**
 * The graph's blocks and mutes, kept from its events (the follower service owns them). Applying
 * an event twice changes nothing, and each pair's events share a partition (keyed by the blocker
 * or muter), so they arrive in order. `keep` names the relations this service needs.
 */
export function createRelationReplica(repository: Pick<ReplicaRepository, 'relations'>, keep: Relation[]) {
  const changes: Record<string, [Relation, boolean]> = {
    'block.created': ['blocks', true], 'block.deleted': ['blocks', false],
    'mute.created': ['mutes', true], 'mute.deleted': ['mutes', false],
  }
  /** The change an event makes, if it is one this replica keeps. */
  function change(event: EventEnvelope): { relation: Relation; actorId: string; subjectId: string; present: boolean } | undefined {
      const known = changes[event.type]
    if (!known || !keep.includes(known[0])) return undefined
    const [relation, present] = known
    const payload = event.payload as Record<string, string>
    return relation === 'blocks'
      ? { relation, actorId: payload.blocker_id!, subjectId: payload.blocked_id!, present }
      : { relation, actorId: payload.muter_id!, subjectId: payload.muted_id!, present }
  }
  return {
    change,
    /** Kafka handler for the graph topic; other events are ignored. */
    async handle(event: EventEnvelope) {
      const found = change(event)
      if (found) await repository.relations.set(found.relation, found.actorId, found.subjectId, found.present)
    },
    blockedEitherWay: (a: string, b: string) => repository.relations.blockedEitherWay(a, b),
  }
}
export type RelationReplica = ReturnType<typeof createRelationReplica>
