import type { Sql } from '@starling/shared/outbox'

/**
 * Where a list page ends: the edge's creation time in microseconds since the epoch (exact, unlike
 * a millisecond Date) and the listed user's id, which breaks ties between edges of the same instant.
 */
export interface Position {
  micros: number
  id: string
}

export interface PageWindow {
  limit: number
  after?: Position
}

/** A directed edge table: who did it (`from`) to whom (`to`), and since when (`created_at`). */
interface EdgeTable {
  table: string
  from: string
  to: string
}

/** The viewer's edges to another user and theirs back (Mastodon's relationship). */
export interface Relationship {
  following: boolean
  followed_by: boolean
  blocking: boolean
  blocked_by: boolean
  muting: boolean
}

/** A user on a list, with the edge's time: as shown (`at`) and as the exact page position (`micros`). */
export interface ListedUser extends Position {
  username: string
  display_name: string
  at: string
}

/**
 * $1 the user whose list it is, $2 how many rows, and after the first page $3/$4 the position the
 * page starts after. Two texts rather than `$3 IS NULL OR ...`, so the bound stays an index condition.
 */
function listQuery(table: string, side: string, shown: string, after: boolean) {
  return `SELECT u.id::text AS id, u.username, u.display_name,
      to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
      (extract(epoch FROM e.created_at) * 1000000)::bigint AS micros
    FROM ${table} e JOIN users u ON u.id = e.${shown}
    WHERE e.${side} = $1
      ${after ? `AND (e.created_at, e.${shown}) < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::bigint)` : ''}
    ORDER BY e.created_at DESC, e.${shown} DESC
    LIMIT $2`
}

// BIGINT arrives as text.
type ListedRow = Omit<ListedUser, 'micros'> & { micros: string }

function edges(db: Sql, { table, from, to }: EdgeTable) {
  const queries = {
    add: `INSERT INTO ${table} (${from}, ${to}) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING created_at`,
    remove: `DELETE FROM ${table} WHERE ${from} = $1 AND ${to} = $2 RETURNING now() AS deleted_at`,
    listFrom: { first: listQuery(table, from, to, false), after: listQuery(table, from, to, true) },
    listTo: { first: listQuery(table, to, from, false), after: listQuery(table, to, from, true) },
  }
  async function list(sql: { first: string; after: string }, id: string, page: PageWindow): Promise<ListedUser[]> {
    const { rows } = page.after
      ? await db.query<ListedRow>(sql.after, [id, page.limit, page.after.micros, page.after.id])
      : await db.query<ListedRow>(sql.first, [id, page.limit])
    // Microseconds since 1970 stay well within a double's exact integers (2^53 µs is the year 2255).
    return rows.map((row) => ({ ...row, micros: Number(row.micros) }))
  }
  return {
    /** When the edge was made, or undefined when it existed already (then nothing must be published). */
    async add(fromId: string, toId: string): Promise<Date | undefined> {
      const { rows: [row] } = await db.query<{ created_at: Date }>(queries.add, [fromId, toId])
      return row?.created_at
    },
    /** When the edge was removed, or undefined when there was none. */
    async remove(fromId: string, toId: string): Promise<Date | undefined> {
      const { rows: [row] } = await db.query<{ deleted_at: Date }>(queries.remove, [fromId, toId])
      return row?.deleted_at
    },
    /** The users `id` points at, newest edge first. */
    listFrom: (id: string, page: PageWindow) => list(queries.listFrom, id, page),
    /** The users pointing at `id`, newest edge first. */
    listTo: (id: string, page: PageWindow) => list(queries.listTo, id, page),
  }
}

/** The graph's tables, on the pool (reads) or on a unit of work's transaction (changes). */
export function createGraphRepository(db: Sql) {
  return {
    follows: edges(db, { table: 'follows', from: 'follower_id', to: 'followee_id' }),
    blocks: edges(db, { table: 'blocks', from: 'blocker_id', to: 'blocked_id' }),
    mutes: edges(db, { table: 'mutes', from: 'muter_id', to: 'muted_id' }),

    /**
     * Serializes every follow and block change of two users, whichever direction: otherwise a follow
     * could check for blocks, and commit its edge after a concurrent block deleted the follows.
     * A hash collision with another pair only makes the two wait for each other.
     */
    async lockPair(a: string, b: string) {
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended(least($1::bigint, $2::bigint) || ':' || greatest($1::bigint, $2::bigint), 0))`, [a, b])
    },

    /** Every edge between a viewer and another user, either way: what a profile page shows. */
    async relationship(viewer: string, other: string): Promise<Relationship> {
      const { rows: [row] } = await db.query<Relationship>(`SELECT
          EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2) AS following,
          EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1) AS followed_by,
          EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocking,
          EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1) AS blocked_by,
          EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = $2) AS muting`, [viewer, other])
      return row!
    },

    /** Who of the two has blocked the other (none, one or both). */
    async blockersBetween(a: string, b: string): Promise<string[]> {
      const { rows } = await db.query<{ blocker_id: string }>(
        'SELECT blocker_id::text FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)', [a, b],
      )
      return rows.map((row) => row.blocker_id)
    },
  }
}
export type GraphRepository = ReturnType<typeof createGraphRepository>
