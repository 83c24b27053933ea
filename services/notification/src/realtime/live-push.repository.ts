import type { Sql } from '@starling/shared/outbox'
import type { LiveKind } from './live-event.store.ts'

/** A frame for one user's sockets, as the consumer queues it. */
export interface Push {
  userId: string
  kind: LiveKind
  data: unknown
}

/** A queued push, its data as the JSON text to send. */
export interface QueuedPush {
  seq: string
  userId: string
  kind: LiveKind
  data: string
}

/** The live_pushes table: frames queued in the transaction of the change they announce. */
export function createLivePushRepository(db: Sql) {
  return {
    async enqueue(eventId: string, pushes: Push[]) {
      if (pushes.length === 0) return
      await db.query(
        'INSERT INTO live_pushes (event_id, user_id, kind, data) SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::json[])',
        [eventId, pushes.map((p) => p.userId), pushes.map((p) => p.kind), pushes.map((p) => JSON.stringify(p.data))],
      )
    },

    /** What `eventId` queued and is not pushed yet, in the order it was queued. */
    async queued(eventId: string): Promise<QueuedPush[]> {
      const { rows } = await db.query<QueuedPush>(
        'SELECT seq::text, user_id::text AS "userId", kind, data::text FROM live_pushes WHERE event_id = $1 ORDER BY seq', [eventId],
      )
      return rows
    },

    async remove(seqs: string[]) {
      await db.query('DELETE FROM live_pushes WHERE seq = ANY($1::bigint[])', [seqs])
    },
  }
}
export type LivePushRepository = ReturnType<typeof createLivePushRepository>
