import type { LiveEventStore } from './live-event.store.ts'
import type { LivePushRepository } from './live-push.repository.ts'

/**
 * Frames for users' sockets, queued (live_pushes) in the transaction of the change they announce
 * and pushed to Redis after it commits: pushed at least once (a crash after the push and before
 * the delete pushes again; clients know a notification or message by its own id).
 */
export function createPushQueue(deps: { pushes: LivePushRepository; store: Pick<LiveEventStore, 'append'> }) {
  const { pushes, store } = deps
  return {
    /** Pushes what `eventId` queued, in order, deleting each once Redis has it. */
    async flush(eventId: string) {
      for (const push of await pushes.queued(eventId)) {
        await store.append(push.userId, push.kind, push.data)
        await pushes.remove(push.seq)
      }
    },
  }
}
export type PushQueue = ReturnType<typeof createPushQueue>
