import type { EventEnvelope } from '@starling/shared/events'
import type { Pool } from 'pg'

/** The graph's blocks, kept from its events (the follower service owns them). */
export function createBlockReplica(pool: Pool) {
  return {
    /** Kafka handler for the graph topic: block changes; other events are ignored. Idempotent. */
    async handle(event: EventEnvelope) {
      if (event.type === 'block.created') {
        await pool.query('INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [event.payload.blocker_id, event.payload.blocked_id])
      } else if (event.type === 'block.deleted') {
        await pool.query('DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2', [event.payload.blocker_id, event.payload.blocked_id])
      }
    },

    /** Whether either of the two has blocked the other. */
    async between(a: string, b: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        'SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)', [a, b],
      )
      return (rowCount ?? 0) > 0
    },
  }
}
export type BlockReplica = ReturnType<typeof createBlockReplica>
