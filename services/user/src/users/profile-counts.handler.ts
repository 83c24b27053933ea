import type { EventEnvelope } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { ProcessedEventRepository } from './processed-event.repository.ts'
import type { UserRepository } from './user.repository.ts'

const CONSUMER = 'user-profile-counts'

type CountsRepos = { users: Pick<UserRepository, 'addFollow' | 'addTweets'>; processedEvents: ProcessedEventRepository }

/**
 * Keeps followers_count, following_count and tweets_count from the graph and tweet events. Each
 * event is applied once (claimed by id in the same unit of work as the update), so the counts stay
 * exact under redelivery; the producers publish only real changes, so they stay exact under races.
 */
export function createProfileCountsHandler(deps: { uow: UnitOfWork<CountsRepos> }) {
  const apply = (event: EventEnvelope, change: (users: CountsRepos['users']) => Promise<void>) =>
    deps.uow.run(async ({ users, processedEvents }) => {
      if (await processedEvents.claim(CONSUMER, event.id)) await change(users)
    })

  return async (event: EventEnvelope) => {
    switch (event.type) {
      case 'follow.created':
      case 'follow.deleted':
        return apply(event, (users) => users.addFollow(event.payload.follower_id, event.payload.followee_id, event.type === 'follow.created' ? 1 : -1))
      case 'tweet.created':
      case 'tweet.deleted':
        return apply(event, (users) => users.addTweets(event.payload.author_id, event.type === 'tweet.created' ? 1 : -1))
    }
  }
}
