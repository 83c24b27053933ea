import type { EventEnvelope } from '@starling/shared'
import type { UserRepository } from './user.repository.ts'

/**
 * Keeps the replica in step with the user events. The payload's own timestamp is the version, so
 * a redelivered or older event never overwrites a newer one.
 */
export function createUserReplicator(users: UserRepository) {
  return {
    async handle(event: EventEnvelope) {
      if (event.type === 'user.registered') {
        const { user_id, username, display_name, created_at } = event.payload
        await users.upsert({ id: user_id, username, display_name, updated_at: created_at })
      } else if (event.type === 'user.updated') {
        const { user_id, username, display_name, updated_at } = event.payload
        await users.upsert({ id: user_id, username, display_name, updated_at })
      }
    },
  }
}
