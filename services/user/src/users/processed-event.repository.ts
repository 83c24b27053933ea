import { claimEvent } from '@starling/shared/db'
import type { Sql } from '@starling/shared/outbox'

/** processed_events: which events a consumer applied already, on a unit of work's transaction. */
export function createProcessedEventRepository(db: Sql) {
  return {
    /** True the first time `consumer` claims `eventId`; false on a redelivery, which must change nothing. */
    claim: (consumer: string, eventId: string) => claimEvent(db, consumer, eventId),
  }
}
export type ProcessedEventRepository = ReturnType<typeof createProcessedEventRepository>
