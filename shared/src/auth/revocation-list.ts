import type { RedisClient } from '../db/redis.ts'
import type { Logger } from 'pino'

/** Where revoked logins are kept: a sorted set of session ids, scored by when their last token expires. */
export const REVOKED_SESSIONS_KEY = 'auth:revoked-sessions'
/** Where each new revocation is announced, as {"session_id","until"} (until: ms since the epoch). */
export const REVOKED_SESSIONS_CHANNEL = 'auth:revoked-sessions'

export interface Revocation {
  session_id: string
  /** When the last access token of the session expires (ms since the epoch); forgotten after. */
  until: number
}

/** Records a revocation for every instance of every service (the user service, from login.revoked). */
export async function publishRevocation(redis: RedisClient, revocation: Revocation) {
  await redis.multi()
    .zadd(REVOKED_SESSIONS_KEY, revocation.until, revocation.session_id)
    .zremrangebyscore(REVOKED_SESSIONS_KEY, '-inf', Date.now())
    .publish(REVOKED_SESSIONS_CHANNEL, JSON.stringify(revocation))
    .exec()
}

/**
 * This process's copy of the revoked logins, so that checking a token costs no round trip. A
 * revocation arrives on the channel at once; the whole set is read again every `resyncMs` (and
 * after a reconnect), so one missed while the subscriber was away arrives within that time.
 * While Redis cannot be read, the copy stays as it was: tokens of logins revoked meanwhile are
 * refused once it is back (at most an access token's lifetime is at stake).
 */
export function createRevocationList(deps: { redis: RedisClient; subscriber: RedisClient; logger: Pick<Logger, 'warn'>; resyncMs?: number }) {
  const { redis, subscriber, logger, resyncMs = 5000 } = deps
  const revoked = new Map<string, number>()
  const listeners = new Set<(sessionId: string) => void>()
  let timer: NodeJS.Timeout | undefined

  function add(revocation: Revocation) {
    if (revocation.until <= Date.now()) return
    const known = revoked.has(revocation.session_id)
    revoked.set(revocation.session_id, revocation.until)
    if (!known) for (const listener of listeners) listener(revocation.session_id)
  }

  async function resync() {
    const now = Date.now()
    const entries = await redis.zrangebyscore(REVOKED_SESSIONS_KEY, now, '+inf', 'WITHSCORES')
    for (let i = 0; i < entries.length; i += 2) add({ session_id: entries[i]!, until: Number(entries[i + 1]) })
    for (const [sessionId, until] of revoked) if (until <= now) revoked.delete(sessionId)
  }
  const resyncQuietly = () => resync().catch((error: Error) => logger.warn({ reason: error.message }, 'could not read the revoked logins; keeping the last copy'))

  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== REVOKED_SESSIONS_CHANNEL) return
    try {
      const revocation = JSON.parse(message) as Revocation
      if (typeof revocation.session_id === 'string' && typeof revocation.until === 'number') add(revocation)
    } catch {
      logger.warn({ channel }, 'ignoring a revocation that is not one')
    }
  })
  // Re-subscribed by ioredis after a reconnect; what was announced meanwhile is read again.
  subscriber.on('ready', () => void resyncQuietly())

  return {
    /** Subscribes and reads the set; waits a moment for Redis, never for long (it may be away). */
    async start() {
      subscriber.subscribe(REVOKED_SESSIONS_CHANNEL).catch((error: Error) => logger.warn({ reason: error.message }, 'could not subscribe to revoked logins'))
      await new Promise<void>((resolve) => {
        if (redis.status === 'ready') return resolve()
        redis.once('ready', () => resolve())
        setTimeout(resolve, 2000).unref()
      })
      await resyncQuietly()
      timer = setInterval(resyncQuietly, resyncMs)
      timer.unref()
    },
    isRevoked(sessionId: string) {
      const until = revoked.get(sessionId)
      return until !== undefined && until > Date.now()
    },
    /** Called once per newly revoked login (the WebSocket hub closes its sockets). */
    onRevoked(listener: (sessionId: string) => void) {
      listeners.add(listener)
    },
    async close() {
      clearInterval(timer)
      redis.disconnect()
      subscriber.disconnect()
    },
  }
}
export type RevocationList = ReturnType<typeof createRevocationList>
