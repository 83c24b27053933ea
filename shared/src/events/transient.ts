const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])
// Client errors that mean "the server is not there right now", by the names the drivers give them.
const TRANSIENT_NAMES = new Set(['ConnectionError', 'NoLivingConnectionsError', 'TimeoutError', 'KafkaJSConnectionError', 'MaxRetriesPerRequestError'])

/**
 * True when an error says a dependency is unreachable or overloaded rather than that the input is
 * bad: such work must wait and be retried, never be dead-lettered.
 */
export function isTransientError(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const { code, name, retriable, statusCode, meta } = e as Error & {
      code?: string; retriable?: boolean; statusCode?: number; meta?: { statusCode?: number }
    }
    if (retriable || TRANSIENT_NAMES.has(name) || (code && TRANSIENT_CODES.has(code))) return true
    // Postgres: connection exceptions (08xxx), shutdown (57P0x), too many connections (53300), a
    // statement cancelled by statement_timeout (57014), and a transaction that lost a race with
    // another (serialization failure 40001, deadlock 40P01).
    if (code && (/^08/.test(code) || /^57P0/.test(code) || ['53300', '57014', '40001', '40P01'].includes(code))) return true
    const status = statusCode ?? meta?.statusCode
    if (status === 429 || status === 502 || status === 503 || status === 504) return true
    // ioredis: a connection that dropped, none yet with the offline queue turned off, or no answer within commandTimeout.
    // On a cluster also: no slot map yet (or none while a failover settles), and the servers' own
    // "try again" answers during a failover.
    if (/Connection is closed|connect ECONNREFUSED|Stream isn't writeable|^Command timed out/.test(e.message)) return true
    if (/^Cluster isn't ready|^Failed to refresh slots cache|^None of startup nodes is available|^CLUSTERDOWN|^TRYAGAIN|^LOADING|^MASTERDOWN/.test(e.message)) return true
    // node-postgres, without a code: a connection the server ended (a restart), one that broke while
    // the transaction was using it (its next query is refused), or no answer in time.
    if (/^Connection terminated|^Client has encountered a connection error|^timeout exceeded when trying to connect|^Query read timeout/.test(e.message)) return true
  }
  return false
}
