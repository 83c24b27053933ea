import type { EventEnvelope } from '@starling/shared'
import type { UserSearchRepository } from './user-search.repository.ts'

/** Keeps the users index in step with the user events. */
export function createUserIndexer(users: UserSearchRepository) {
  return {
    async handle(event: EventEnvelope) {
      if (event.type === 'user.registered') {
        const { user_id, username, display_name, created_at } = event.payload
        await users.upsert({ user_id, username, username_lower: username.toLowerCase(), display_name, created_at }, Date.parse(event.occurred_at))
      }
    },
  }
}
