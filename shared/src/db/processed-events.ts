import type { PoolClient } from 'pg'

/**
 * Records that `consumer` applied `eventId`, inside the consumer's own transaction (a client, or
 * a unit of work's `Sql`). Returns false when it already had, so a redelivered event changes nothing.
 */
export async function claimEvent(tx: Pick<PoolClient, 'query'>, consumer: string, eventId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [consumer, eventId],
  )
  return rowCount === 1
}
