import { claimEvent, withTransaction, type EventEnvelope } from '@starling/shared'
import type { Pool } from 'pg'
import type { UserRepository } from './user.repository.ts'

const CONSUMER = 'user-follow-counts'

/**
 * Keeps followers_count and following_count from the graph events. Each event is applied once
 * (claimed by id in the same transaction as the update), so counts stay exact under redelivery.
 */
export function createFollowCountsHandler(deps: { pool: Pool; users: UserRepository }) {
  return async (event: EventEnvelope) => {
    if (event.type !== 'follow.created' && event.type !== 'follow.deleted') return
    const delta = event.type === 'follow.created' ? 1 : -1
    await withTransaction(deps.pool, async (tx) => {
      if (!(await claimEvent(tx, CONSUMER, event.id))) return
      await deps.users.addFollow(tx, event.payload.follower_id, event.payload.followee_id, delta)
    })
  }
}
