import type { LiveEventStore } from './live-event.store.ts'
import type { LivePushRepository } from './live-push.repository.ts'

// A tweet can be queued for thousands of present followers: pushed this many at a time, each batch
// in one round of Redis commands (sent together on the one connection, so in order) and one delete.
const BATCH = 200

/**
 * Frames for users' sockets, queued (live_pushes) in the transaction of the change they announce
 * and pushed to Redis after it commits: pushed at least once (a crash after the push and before
 * the delete pushes again; clients know a notification, message or tweet by its own id).
 */
export function createPushQueue(deps: { pushes: LivePushRepository; store: Pick<LiveEventStore, 'append'> }) {
  const { pushes, store } = deps
  return {
    /** Pushes what `eventId` queued, in order, deleting each batch once Redis has it. */
    async flush(eventId: string) {
      const queued = await pushes.queued(eventId)
      for (let i = 0; i < queued.length; i += BATCH) {
        const batch = queued.slice(i, i + BATCH)
        await Promise.all(batch.map((push) => store.append(push.userId, push.kind, push.data)))
        await pushes.remove(batch.map((push) => push.seq))
      }
    },
  }
}
export type PushQueue = ReturnType<typeof createPushQueue>
