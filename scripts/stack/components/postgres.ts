import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { stack } from '../config.ts'
import { ownedDir } from '../provision.ts'
import { run, startDaemon, stopDaemon, userIds, waitUntil } from '../process.ts'

const dataDir = path.join(stack.data, 'postgres')
export const postgresUrl = (database: string) => `postgres://postgres@127.0.0.1:${stack.ports.postgres}/${database}`

function binDir() {
  const versions = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  if (!versions[0]) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql')
  return `/usr/lib/postgresql/${versions[0]}/bin`
}

async function query(database: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: postgresUrl(database) })
  await client.connect()
  try {
    return await client.query(sql, params)
  } finally {
    await client.end()
  }
}

export const postgres = {
  name: 'postgres',
  async start() {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      ownedDir(dataDir)
      // Trust on loopback only: a private development server that listens on 127.0.0.1 alone.
      run(path.join(binDir(), 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], userIds())
    }
    startDaemon({
      name: 'postgres',
      command: path.join(binDir(), 'postgres'),
      args: ['-D', dataDir, '-p', String(stack.ports.postgres), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
        '-c', 'max_connections=300', '-c', 'shared_buffers=256MB', '-c', 'logging_collector=off',
        // Statement statistics for the benchmark's profile (a few percent of a statement's cost).
        '-c', 'shared_preload_libraries=pg_stat_statements'],
      unprivileged: true,
    })
  },
  ready: () => waitUntil('postgres', async () => (await query('postgres', 'SELECT 1')).rowCount === 1),
  async createDatabases(names: string[]) {
    const { rows } = await query('postgres', 'SELECT datname FROM pg_database')
    const existing = new Set(rows.map((r) => r.datname))
    for (const name of names.filter((n) => !existing.has(n))) await query('postgres', `CREATE DATABASE "${name}"`)
  },
  // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for idle clients to leave.
  stop: () => stopDaemon('postgres', { signal: 'SIGINT' }),
}
