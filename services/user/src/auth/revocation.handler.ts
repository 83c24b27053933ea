import type { EventEnvelope } from '@starling/shared/events'
import type { RevocationStore } from './revocation.store.ts'

/**
 * login.revoked into the revocation list every service keeps a copy of, until the last access
 * token of that login has expired. Writing it again on redelivery changes nothing.
 */
export function createRevocationHandler(deps: { revocations: RevocationStore }) {
  return async (event: EventEnvelope) => {
    if (event.type !== 'login.revoked') return
    await deps.revocations.publish({ session_id: event.payload.session_id, until: Date.parse(event.payload.tokens_valid_until) })
  }
}
