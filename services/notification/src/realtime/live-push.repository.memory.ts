import type { LivePushRepository, QueuedPush } from './live-push.repository.ts'

/** The live_pushes table in memory, for unit tests: `rows` is what is queued and not pushed yet. */
export function createMemoryLivePushRepository(): LivePushRepository & { rows: (QueuedPush & { eventId: string })[] } {
  const rows: (QueuedPush & { eventId: string })[] = []
  let seq = 0
  return {
    rows,
    async enqueue(eventId, pushes) {
      for (const push of pushes) rows.push({ seq: String(++seq), eventId, userId: push.userId, kind: push.kind, data: JSON.stringify(push.data) })
    },
    queued: async (eventId) => rows.filter((row) => row.eventId === eventId).map(({ eventId: _event, ...push }) => push),
    async remove(seqs) {
      for (const seq of seqs) {
        const at = rows.findIndex((row) => row.seq === seq)
        if (at >= 0) rows.splice(at, 1)
      }
    },
  }
}
