import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '@starling/shared/db'
import { silentLogger } from './fixtures/kafka.ts'
import { scratchDatabase } from './fixtures/postgres.ts'

const serviceDir = fileURLToPath(new URL('./fixtures/migrations', import.meta.url))

describe('migrate', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>
  beforeAll(async () => { db = await scratchDatabase() })
  afterAll(async () => db.drop())

  it('applies the platform tables and the service migrations, then nothing the second time', async () => {
    const first = await migrate(db.url, serviceDir, silentLogger)
    expect(first).toEqual(['1700000000000_platform-outbox', '1700000000001_platform-ids', '1800000000000_widgets'])
    const second = await migrate(db.url, serviceDir, silentLogger)
    expect(second).toEqual([])
  })

  it('applies each migration once when two instances start together', async () => {
    const other = await scratchDatabase()
    try {
      const results = await Promise.all([migrate(other.url, serviceDir, silentLogger), migrate(other.url, serviceDir, silentLogger)])
      expect(results.flat().filter((name) => name === '1800000000000_widgets')).toHaveLength(1)
    } finally {
      await other.drop()
    }
  })

  it('gives time-ordered 64-bit ids', async () => {
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ id: string }>("INSERT INTO widgets (name) SELECT 'w' || g FROM generate_series(1, 50) g RETURNING id")
      const ids = rows.map((r) => BigInt(r.id))
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)))
      expect(new Set(ids).size).toBe(50)
      expect(ids.every((id) => id > 2n ** 53n)).toBe(true)
    } finally {
      await client.end()
    }
  })
})
