import type { Pool, PoolClient } from 'pg'
import { isTransientError } from '../events/transient.ts'

/**
 * Gives a checked-out client back; one whose connection failed, or whose query was left running
 * when the client gave up on it (query_timeout), is closed instead of handed to the next caller.
 */
export function releaseAfter(tx: PoolClient, error: unknown, rolledBack: boolean) {
  const broken = error !== undefined && (!rolledBack || isTransientError(error))
  tx.release(broken ? (error instanceof Error ? error : new Error(String(error))) : undefined)
}

/** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
export async function withTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect()
  let failure: unknown
  let rolledBack = true
  try {
    await tx.query('BEGIN')
    const result = await work(tx)
    await tx.query('COMMIT')
    return result
  } catch (error) {
    failure = error
    await tx.query('ROLLBACK').catch(() => { rolledBack = false })
    throw error
  } finally {
    releaseAfter(tx, failure, rolledBack)
  }
}

/** Postgres error code for a unique violation, with the constraint that was hit. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string }
  return e?.code === '23505' ? (e.constraint ?? '') : undefined
}
