import { publishRevocation } from '@starling/shared/auth'
import { type EventEnvelope } from '@starling/shared/events'
import type { Redis } from 'ioredis'

/**
 * login.revoked into the revocation list every service keeps a copy of (Redis: a sorted set, and
 * an announcement on its channel). Writing it again on redelivery changes nothing.
 */
export function createRevocationHandler(deps: { redis: Redis }) {
  return async (event: EventEnvelope) => {
    if (event.type !== 'login.revoked') return
    await publishRevocation(deps.redis, { session_id: event.payload.session_id, until: Date.parse(event.payload.tokens_valid_until) })
  }
}
