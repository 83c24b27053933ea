import { avatarOfUser, type EventEnvelope } from '@starling/shared/events'
import type { UserSearchRepository } from './user-search.repository.ts'

/** Keeps the users index in step with the user events. */
export function createUserIndexer(users: UserSearchRepository) {
  return {
    async handle(event: EventEnvelope) {
      switch (event.type) {
        case 'user.registered':
        case 'user.updated': {
          // Both carry the whole document. The change's own time orders it: a redelivered
          // registration cannot undo a later rename.
          const { user_id, username, display_name } = event.payload
          const at = event.type === 'user.registered' ? event.payload.created_at : event.payload.updated_at
          const avatarUrl = event.type === 'user.registered' ? null : avatarOfUser(event.payload)
          await users.save({ user_id, username, username_lower: username.toLowerCase(), display_name, avatar_url: avatarUrl }, Date.parse(at))
        }
      }
    },
  }
}
