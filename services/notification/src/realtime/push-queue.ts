import type { Pool, PoolClient } from 'pg'
import type { LiveEventStore, LiveKind } from './live-event.store.ts'

export interface Push {
  userId: string
  kind: LiveKind
  data: unknown
}

/**
 * Frames for users' sockets, queued in the transaction of the change they announce and pushed to
 * Redis after it commits: pushed at least once (a crash after the push and before the delete
 * pushes again; clients know a notification or message by its own id).
 */
export function createPushQueue(deps: { pool: Pool; store: LiveEventStore }) {
  const { pool, store } = deps
  return {
    async enqueue(tx: PoolClient, eventId: string, pushes: Push[]) {
      if (pushes.length === 0) return
      await tx.query(
        'INSERT INTO live_pushes (event_id, user_id, kind, data) SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::json[])',
        [eventId, pushes.map((p) => p.userId), pushes.map((p) => p.kind), pushes.map((p) => JSON.stringify(p.data))],
      )
    },

    /** Pushes what `eventId` queued, in order, deleting each once Redis has it. */
    async flush(eventId: string) {
      const { rows } = await pool.query<{ seq: string; user_id: string; kind: LiveKind; data: string }>(
        'SELECT seq::text, user_id::text, kind, data::text FROM live_pushes WHERE event_id = $1 ORDER BY seq', [eventId],
      )
      for (const row of rows) {
        await store.append(row.user_id, row.kind, row.data)
        await pool.query('DELETE FROM live_pushes WHERE seq = $1', [row.seq])
      }
    },
  }
}
export type PushQueue = ReturnType<typeof createPushQueue>
