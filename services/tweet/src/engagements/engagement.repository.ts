import type { Sql } from '@starling/shared/outbox'
import type { Viewer } from '@starling/shared/schemas'

/** A like or retweet row that was just added or removed. */
export interface EdgeChange {
  /** The retweet's own id; null for a like. */
  id: string | null
  /** When it was added, or removed. */
  at: Date
}

/** What a count change tells about the tweet. */
export interface CountedTweet {
  count: number
  author_id: string
}

interface EdgeTable {
  table: 'likes' | 'retweets'
  count: 'like_count' | 'retweet_count'
  id: string
}

/**
 * One kind of engagement: a (tweet, user) row in `table`, counted in `count` on the tweet. A row
 * and its count change in the same transaction, so the count is exact under any concurrency.
 */
function edges(db: Sql, { table, count, id }: EdgeTable) {
  const queries = {
    // Only on a live tweet: otherwise nothing is inserted, which the caller tells apart by count() finding no tweet.
    add: `INSERT INTO ${table} (tweet_id, user_id) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM tweets WHERE id = $1 AND deleted_at IS NULL)
          ON CONFLICT DO NOTHING RETURNING ${id} AS id, created_at AS at`,
    remove: `DELETE FROM ${table} WHERE tweet_id = $1 AND user_id = $2 RETURNING ${id} AS id, now() AS at`,
    addToCount: `UPDATE tweets SET ${count} = ${count} + $2 WHERE id = $1 AND deleted_at IS NULL RETURNING ${count} AS count, author_id::text`,
    count: `SELECT ${count} AS count FROM tweets WHERE id = $1 AND deleted_at IS NULL`,
  }
  return {
    /** The new row, or undefined when it existed already or the tweet is not live. */
    async add(tweetId: string, userId: string): Promise<EdgeChange | undefined> {
      const { rows: [row] } = await db.query<EdgeChange>(queries.add, [tweetId, userId])
      return row
    },
    /** The removed row, or undefined when there was none. */
    async remove(tweetId: string, userId: string): Promise<EdgeChange | undefined> {
      const { rows: [row] } = await db.query<EdgeChange>(queries.remove, [tweetId, userId])
      return row
    },
    /** Changes the count of a live tweet (undefined when it is not live); the row stays locked until commit. */
    async addToCount(tweetId: string, delta: 1 | -1): Promise<CountedTweet | undefined> {
      const { rows: [row] } = await db.query<CountedTweet>(queries.addToCount, [tweetId, delta])
      return row
    },
    /** The count of a live tweet; undefined when it is not live. */
    async count(tweetId: string): Promise<number | undefined> {
      const { rows: [row] } = await db.query<{ count: number }>(queries.count, [tweetId])
      return row?.count
    },
  }
}

// One probe of each (tweet_id, user_id) key (the likes' primary key, the retweets' unique key) per id.
const VIEWER_STATES = `SELECT t.id::text AS tweet_id,
    EXISTS (SELECT 1 FROM likes WHERE tweet_id = t.id AND user_id = $1) AS liked,
    EXISTS (SELECT 1 FROM retweets WHERE tweet_id = t.id AND user_id = $1) AS retweeted
  FROM unnest($2::bigint[]) AS t (id)`

/** Likes and retweets, on the pool (reads) or on a unit of work's transaction (changes). */
export function createEngagementRepository(db: Sql) {
  return {
    likes: edges(db, { table: 'likes', count: 'like_count', id: 'NULL::text' }),
    retweets: edges(db, { table: 'retweets', count: 'retweet_count', id: 'id::text' }),
    /** Whether `userId` likes and has retweeted each of `tweetIds`, in one query; every id is in the map. */
    async viewerStates(userId: string, tweetIds: readonly string[]): Promise<Map<string, Viewer>> {
      const { rows } = await db.query<Viewer & { tweet_id: string }>(VIEWER_STATES, [userId, tweetIds])
      return new Map(rows.map(({ tweet_id: id, liked, retweeted }) => [id, { liked, retweeted }]))
    },
  }
}
export type EngagementRepository = ReturnType<typeof createEngagementRepository>
