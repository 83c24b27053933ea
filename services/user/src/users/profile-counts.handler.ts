import { claimEvent, withTransaction } from '@starling/shared/db'
import { type EventEnvelope } from '@starling/shared/events'
import type { Pool } from 'pg'
import type { UserRepository } from './user.repository.ts'

const CONSUMER = 'user-profile-counts'

/**
 * Keeps followers_count, following_count and tweets_count from the graph and tweet events. Each
 * event is applied once (claimed by id in the same transaction as the update), so the counts stay
 * exact under redelivery; the producers publish only real changes, so they stay exact under races.
 */
export function createProfileCountsHandler(deps: { pool: Pool; users: UserRepository }) {
  const apply = (event: EventEnvelope, change: (tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) => Promise<void>) =>
    withTransaction(deps.pool, async (tx) => {
      if (await claimEvent(tx, CONSUMER, event.id)) await change(tx)
    })

  return async (event: EventEnvelope) => {
    switch (event.type) {
      case 'follow.created':
      case 'follow.deleted':
        return apply(event, (tx) => deps.users.addFollow(tx, event.payload.follower_id, event.payload.followee_id, event.type === 'follow.created' ? 1 : -1))
      case 'tweet.created':
      case 'tweet.deleted':
        return apply(event, (tx) => deps.users.addTweets(tx, event.payload.author_id, event.type === 'tweet.created' ? 1 : -1))
    }
  }
}
