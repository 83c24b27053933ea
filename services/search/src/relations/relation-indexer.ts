import type { EventEnvelope } from '@starling/shared/events'
import { engagementVersion } from '../tweets/tweet-indexer.ts'
import type { RelationRepository } from './relation.repository.ts'

/**
 * Keeps blocks and mutes from the graph events, and each person's likes and retweets from the
 * engagement events. Every change is versioned by its time (a like's by engagementVersion), so a
 * redelivered or late older change cannot undo a newer one.
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
        case 'like.created':
        case 'like.deleted': {
          const { user_id, tweet_id } = event.payload
          await relations.save({ kind: 'like', actor_id: user_id, target_id: tweet_id, active: event.type === 'like.created' }, engagementVersion(event))
          return
        }
        case 'retweet.created':
        case 'retweet.deleted': {
          const { user_id, tweet_id } = event.payload
          await relations.save({ kind: 'retweet', actor_id: user_id, target_id: tweet_id, active: event.type === 'retweet.created' }, engagementVersion(event))
          return
        }
      }
    },
  }
}
