import type { Client, estypes } from '@elastic/elasticsearch'
import { isTransientError, PoisonEventError } from '@starling/shared/events'
import { Histogram, type Registry } from 'prom-client'

/**
 * A whole-document write under external versioning: Elasticsearch keeps it only when `version`
 * is at least the stored one, so redelivered and late events cannot move a document backwards.
 */
export interface VersionedWrite {
  index: string
  id: string
  document: object
  version: number
}

/** `written`, or `stale` when the stored document already had a higher version. */
export type WriteOutcome = 'written' | 'stale'

interface Pending {
  write: VersionedWrite
  resolve: (outcome: WriteOutcome) => void
  reject: (error: unknown) => void
}

/** An item failure as an error the event bus can classify (transient ones are retried in place). */
export function itemError(status: number, error: estypes.ErrorCause | undefined, id: string): Error {
  const message = `bulk write of ${id} failed with ${status}: ${error?.type ?? 'error'}: ${error?.reason ?? ''}`
  // 429 (queue full), 5xx, a write block set by a reindex (403) or a missing alias (404) pass once
  // Elasticsearch or the operator catches up: retried, never dead-lettered. Anything else (a document
  // the mapping refuses) would fail forever.
  const transient = status === 429 || status >= 500 || error?.type === 'cluster_block_exception' || error?.type === 'index_not_found_exception'
  if (transient) return Object.assign(new Error(message), { retriable: true, statusCode: status })
  return new PoisonEventError(message)
}

/**
 * A whole request's failure, as each write it held is rejected with: the client error's name,
 * message and status, without its `meta`, which holds the request body (every document of the
 * bulk). The bus logs each retried event's error, so the client's own error made every warning as
 * large as the bulk: a cluster fault run's two minutes of bulk timeouts wrote a gigabyte of logs.
 */
export function requestError(error: unknown, documents: number): Error {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) }
  const statusCode = (error as { meta?: { statusCode?: number } } | undefined)?.meta?.statusCode
  return Object.assign(new Error(`bulk request of ${documents} documents failed: ${name}: ${message}`), {
    retriable: isTransientError(error), statusCode,
  })
}

/** A bulk is redone whole when it times out, so it gets longer than a search to finish under load. */
const BULK_TIMEOUT_MS = 30_000

/**
 * Collects the writes of concurrent event handlers into bulk requests. A handler awaits its write,
 * so the bus commits an offset only after the bulk holding it succeeded. At most one bulk is in
 * flight: writes that arrive meanwhile form the next one, so batches grow with load and an idle
 * indexer adds no delay (no timer to wait out).
 */
export function createBulkWriter(deps: { client: Client; maxActions: number; metrics?: Registry }) {
  const { client, maxActions } = deps
  const batchSize = deps.metrics && new Histogram({
    name: 'search_bulk_actions',
    help: 'Documents per bulk request the indexer sent.',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [deps.metrics],
  })
  let queue: Pending[] = []
  let flushing = false

  async function send(batch: Pending[]) {
    batchSize?.observe(batch.length)
    // require_alias: a missing alias must not auto-create an index with a guessed mapping.
    const response = await client.bulk({
      require_alias: true,
      operations: batch.flatMap(({ write }) => [
        { index: { _index: write.index, _id: write.id, version: write.version, version_type: 'external_gte' as const } },
        write.document,
      ]),
    }, { requestTimeout: BULK_TIMEOUT_MS })
    response.items.forEach((item, i) => {
      const pending = batch[i]!
      const result = item.index!
      if (result.status < 300) pending.resolve('written')
      else if (result.status === 409) pending.resolve('stale')
      else pending.reject(itemError(result.status, result.error, pending.write.id))
    })
  }

  async function flush() {
    flushing = true
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxActions)
        queue = queue.slice(maxActions)
        try {
          await send(batch)
        } catch (error) {
          // The whole request failed (Elasticsearch away, timeout): every write in it fails alike.
          const failure = requestError(error, batch.length)
          for (const pending of batch) pending.reject(failure)
        }
      }
    } finally {
      flushing = false
    }
  }

  return {
    write(write: VersionedWrite): Promise<WriteOutcome> {
      return new Promise((resolve, reject) => {
        queue.push({ write, resolve, reject })
        // Next turn of the event loop: writes made in this one join the same bulk.
        if (!flushing) {
          flushing = true
          setImmediate(() => void flush())
        }
      })
    },
  }
}
export type BulkWriter = ReturnType<typeof createBulkWriter>
