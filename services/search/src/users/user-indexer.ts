import type { EventEnvelope } from '@starling/shared'
import type { UserSearchRepository } from './user-search.repository.ts'

/** Keeps the users index in step with the user events. */
export function createUserIndexer(users: UserSearchRepository) {
  return {
    async handle(event: EventEnvelope) {
      switch (event.type) {
        case 'user.registered': {
          const { user_id, username, display_name, created_at } = event.payload
          return users.upsert({ user_id, username, username_lower: username.toLowerCase(), display_name, created_at }, Date.parse(created_at))
        }
        case 'user.updated': {
          // The change's own time orders it: a redelivered registration cannot undo a later rename.
          const { user_id, username, display_name, updated_at } = event.payload
          return users.update(user_id, { username, username_lower: username.toLowerCase(), display_name }, Date.parse(updated_at))
        }
      }
    },
  }
}
