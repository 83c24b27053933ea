import type { Pool, PoolClient } from 'pg'
import { describe, expect, it } from 'vitest'
import { withTransaction } from './transaction.ts'

/** A pool of one fake client that fails the query named in `failing`, and records how it was released. */
function fakePool(failing: Record<string, Error>) {
  const released: (Error | undefined)[] = []
  const client = {
    query: async (sql: string) => { if (failing[sql]) throw failing[sql]; return { rows: [] } },
    release: (error?: Error) => { released.push(error) },
  } as unknown as PoolClient
  return { pool: { connect: async () => client } as unknown as Pool, released }
}

describe('withTransaction', () => {
  it('hands the client back after a commit, and after an error of the statement', async () => {
    const ok = fakePool({})
    await withTransaction(ok.pool, async (tx) => tx.query('SELECT 1'))
    const unique = fakePool({ INSERT: Object.assign(new Error('duplicate key'), { code: '23505' }) })
    await expect(withTransaction(unique.pool, async (tx) => tx.query('INSERT'))).rejects.toThrow('duplicate key')
    expect([...ok.released, ...unique.released]).toEqual([undefined, undefined])
  })

  it('closes a client whose connection failed, or whose query it gave up waiting for, instead of handing it on', async () => {
    const timedOut = fakePool({ UPDATE: new Error('Query read timeout') })
    await expect(withTransaction(timedOut.pool, async (tx) => tx.query('UPDATE'))).rejects.toThrow()
    const noRollback = fakePool({ UPDATE: Object.assign(new Error('check'), { code: '23514' }), ROLLBACK: new Error('Connection terminated') })
    await expect(withTransaction(noRollback.pool, async (tx) => tx.query('UPDATE'))).rejects.toThrow()
    expect([...timedOut.released, ...noRollback.released].map((e) => e?.message)).toEqual(['Query read timeout', 'check'])
  })
})
