import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { migrate } from '@starling/shared/db'
import { createLogger } from '@starling/shared/logging'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { scratchDatabase } from '../../../shared/test/fixtures/postgres.ts'

// The look-alike rule arrives on a database that may already hold look-alikes: the migration must
// keep them (and boot), while no new account may take a skeleton any longer.
const migrations = path.join(import.meta.dirname, '..', 'migrations')
const SKELETON = '1710000000002_username-skeleton.sql'
const database = await scratchDatabase()
afterAll(() => database.drop())

describe('the username skeleton migration', () => {
  it('keeps look-alikes that came before it, and refuses new ones', async () => {
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-migrations-'))
    for (const file of fs.readdirSync(migrations).filter((f) => f < SKELETON)) fs.copyFileSync(path.join(migrations, file), path.join(before, file))
    const logger = createLogger('migrate', 'silent')
    await migrate(database.url, before, logger)
    const db = new pg.Client({ connectionString: database.url })
    await db.connect()
    try {
      const add = (username: string) => db.query(`INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $1 || '@example.com', 'x', $1) RETURNING id`, [username])
      await add('bob0')
      await add('bobo')
      await add('B0B0')
      expect(await migrate(database.url, migrations, logger)).toContain(SKELETON.replace('.sql', ''))
      const { rows } = await db.query<{ username: string; lookalike_of_earlier: boolean }>('SELECT username, lookalike_of_earlier FROM users ORDER BY id')
      expect(rows).toEqual([
        { username: 'bob0', lookalike_of_earlier: false }, { username: 'bobo', lookalike_of_earlier: true }, { username: 'B0B0', lookalike_of_earlier: true },
      ])
      await expect(add('B0BO')).rejects.toMatchObject({ code: '23505', constraint: 'users_username_skeleton_key' })
      await add('alice')
    } finally {
      await db.end()
    }
  })
})
