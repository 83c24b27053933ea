import pg from 'pg'
import { testEnv } from './env.ts'

/** The databases whose services relay an outbox, each holding a LISTEN connection while it runs. */
export const OUTBOX_DATABASES = ['starling_user', 'starling_tweet', 'starling_follower', 'starling_dm']

/** Whether every outbox relay holds its LISTEN connection now (PostgreSQL's own view). */
export async function everyRelayListening() {
  const client = new pg.Client({ connectionString: testEnv.postgresUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_stat_activity WHERE query = 'LISTEN starling_outbox'`)
    return OUTBOX_DATABASES.every((db) => rows.some((r) => r.datname === db))
  } finally {
    await client.end()
  }
}
