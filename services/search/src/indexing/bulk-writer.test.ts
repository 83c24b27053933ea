import { errors, type Client } from '@elastic/elasticsearch'
import { stdSerializers } from 'pino'
import { describe, expect, it } from 'vitest'
import { isTransientError, PoisonEventError } from '@starling/shared/events'
import { createBulkWriter } from './bulk-writer.ts'

type Item = { status: number; error?: { type: string; reason: string } }

/** A client whose bulk answers with `statuses(operations)`, recording every request. */
function fakeClient(answer: (ids: string[]) => Item[] | Promise<Item[]>) {
  const requests: string[][] = []
  const client = {
    async bulk({ operations }: { operations: object[] }) {
      const ids = operations.filter((_, i) => i % 2 === 0).map((op) => (op as { index: { _id: string } }).index._id)
      requests.push(ids)
      return { errors: false, items: (await answer(ids)).map((index) => ({ index })) }
    },
  } as unknown as Client
  return { client, requests }
}

const write = (id: string) => ({ index: 'idx-write', id, document: { id }, version: 1 })

describe('createBulkWriter', () => {
  it('sends the writes made together in one bulk request', async () => {
    const { client, requests } = fakeClient((ids) => ids.map(() => ({ status: 201 })))
    const writer = createBulkWriter({ client, maxActions: 100 })
    expect(await Promise.all(['1', '2', '3'].map((id) => writer.write(write(id))))).toEqual(['written', 'written', 'written'])
    expect(requests).toEqual([['1', '2', '3']])
  })

  it('collects writes made while a bulk is in flight into the next one, up to maxActions each', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => { release = resolve })
    const { client, requests } = fakeClient(async (ids) => {
      if (requests.length === 1) await gate
      return ids.map(() => ({ status: 200 }))
    })
    const writer = createBulkWriter({ client, maxActions: 2 })
    const first = writer.write(write('1'))
    await new Promise((resolve) => setImmediate(resolve))
    const later = ['2', '3', '4'].map((id) => writer.write(write(id)))
    release()
    await Promise.all([first, ...later])
    expect(requests).toEqual([['1'], ['2', '3'], ['4']])
  })

  it('reports a version conflict as stale: a newer state is already there', async () => {
    const { client } = fakeClient(() => [{ status: 409, error: { type: 'version_conflict_engine_exception', reason: 'newer' } }])
    expect(await createBulkWriter({ client, maxActions: 10 }).write(write('1'))).toBe('stale')
  })

  it('fails an item Elasticsearch could not take now as transient, one it refuses as poison', async () => {
    const { client } = fakeClient(() => [
      { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } },
      { status: 403, error: { type: 'cluster_block_exception', reason: 'index write (api)' } },
      { status: 400, error: { type: 'strict_dynamic_mapping_exception', reason: 'field [x] not allowed' } },
    ])
    const writer = createBulkWriter({ client, maxActions: 10 })
    const [full, blocked, refused] = await Promise.allSettled(['1', '2', '3'].map((id) => writer.write(write(id))))
    expect(isTransientError((full as PromiseRejectedResult).reason)).toBe(true)
    expect(isTransientError((blocked as PromiseRejectedResult).reason)).toBe(true)
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(PoisonEventError)
  })

  it('fails every write of a request that failed, with an error the bus retries in place when Elasticsearch is away', async () => {
    const { client } = fakeClient(() => { throw new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200') })
    const writer = createBulkWriter({ client, maxActions: 10 })
    const results = await Promise.allSettled(['1', '2'].map((id) => writer.write(write(id))))
    for (const result of results) expect(isTransientError((result as PromiseRejectedResult).reason)).toBe(true)
  })

  it('fails them with the failure named, and without the request body the client error carries', async () => {
    // As @elastic/transport reports a timeout: its meta holds the request, body and all.
    const body = `${'{"index":{"_id":"1"}}\n{"text":"a document of the bulk"}\n'.repeat(500)}`
    const { client } = fakeClient(() => {
      throw new errors.TimeoutError('Request timed out', { meta: { request: { params: { method: 'POST', path: '/_bulk', body } } } } as never)
    })
    const writer = createBulkWriter({ client, maxActions: 10 })
    const [result] = await Promise.allSettled(['1', '2'].map((id) => writer.write(write(id))))
    const reason = (result as PromiseRejectedResult).reason as Error
    expect(isTransientError(reason)).toBe(true)
    expect(reason.message).toBe('bulk request of 2 documents failed: TimeoutError: Request timed out')
    // What the bus's warning would log of it.
    expect(JSON.stringify(stdSerializers.err(reason))).not.toContain('a document of the bulk')
  })
})
