import { publishRevocation, type Revocation } from '@starling/shared/auth'
import type { RedisClient } from '@starling/shared/db'

/** The list of revoked logins every service checks tokens against, in Redis; the user service writes it. */
export function createRevocationStore(redis: RedisClient) {
  return {
    /** Adds the login to the list and announces it; the same revocation twice is one. */
    publish: (revocation: Revocation) => publishRevocation(redis, revocation),
  }
}
export type RevocationStore = ReturnType<typeof createRevocationStore>
