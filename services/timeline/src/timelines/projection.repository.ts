import { claimEvent } from '@starling/shared/db'
import { mediaOfTweet, type PayloadOf } from '@starling/shared/events'
import type { Sql } from '@starling/shared/outbox'
import type { Viewer } from '@starling/shared/schemas'
import type { Entry } from './entry.ts'
import type { TimelineItem } from './timeline.schemas.ts'
import type { ReaderGraph } from './timeline.store.ts'

/** A tweet as a page needs it, before its author's name is known. */
export type TweetRecord = Omit<TimelineItem, 'retweeted_by' | 'author' | 'viewer'> & { author_id: string }

/** An account's names and picture, with their version (the replica's `updated_at`, in epoch milliseconds). */
export interface UserRecord {
  id: string
  username: string
  display_name: string
  avatar_url: string | null
  version: number
}

/** The newest of a reader's likes and retweets (by tweet id), and the oldest tweet id they answer for. */
export interface ViewerSets {
  liked: string[]
  retweeted: string[]
  /** '0' when every like and retweet was loaded. */
  floor: string
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The timeline service's own copy of the graph, tweets, retweets and likes, built from events, and the reads
 * over it (with the shared replicas' users, blocks and mutes), on the pool (reads) or on a unit of
 * work's transaction (a consumer's changes, which commit together).
 */
export function createProjectionRepository(db: Sql) {
  return {
    /** Adds the follow once (the follower count moves only then); returns the followee's count after. */
    async addFollow(followerId: string, followeeId: string) {
      const { rowCount } = await db.query('INSERT INTO follows VALUES ($1, $2) ON CONFLICT DO NOTHING', [followerId, followeeId])
      const { rows: [count] } = await db.query<{ n: number }>(rowCount === 1
        ? 'INSERT INTO follower_counts VALUES ($1, 1) ON CONFLICT (user_id) DO UPDATE SET n = follower_counts.n + 1 RETURNING n'
        : 'SELECT n FROM follower_counts WHERE user_id = $1', [followeeId])
      return count?.n ?? 0
    },

    /** Removes the follow once; returns the followee's follower count after. */
    async removeFollow(followerId: string, followeeId: string) {
      const { rowCount } = await db.query('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId])
      const { rows: [count] } = await db.query<{ n: number }>(rowCount === 1
        ? 'UPDATE follower_counts SET n = n - 1 WHERE user_id = $1 RETURNING n'
        : 'SELECT n FROM follower_counts WHERE user_id = $1', [followeeId])
      return count?.n ?? 0
    },

    async follows(followerId: string, followeeId: string) {
      const { rowCount } = await db.query('SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId])
      return rowCount === 1
    },

    /** Stores the tweet once; a reply bumps its parent's reply count only the first time. One statement, so one round trip. */
    async insertTweet(tweet: PayloadOf<'tweet.created'>) {
      await db.query({
        name: 'timeline-insert-tweet',
        text: `WITH inserted AS (
                 INSERT INTO tweets (id, author_id, text, conversation_id, reply_to_id, quote_of_id, mentions, hashtags, created_at, media)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING reply_to_id)
               UPDATE tweets SET reply_count = reply_count + 1 WHERE id = (SELECT reply_to_id FROM inserted)`,
        values: [tweet.tweet_id, tweet.author_id, tweet.text, tweet.conversation_id, tweet.reply_to_id, tweet.quote_of_id,
          JSON.stringify(tweet.mentions), tweet.hashtags, tweet.created_at, JSON.stringify(mediaOfTweet(tweet))],
      })
    },

    /** Marks the tweet deleted (once); returns what it replied to, or undefined when it was deleted already. */
    async deleteTweet(tweetId: string, deletedAt: string): Promise<{ replyToId: string | null } | undefined> {
      const { rows: [row] } = await db.query<{ reply_to_id: string | null }>(
        'UPDATE tweets SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING reply_to_id::text', [tweetId, deletedAt])
      if (row?.reply_to_id) await db.query('UPDATE tweets SET reply_count = reply_count - 1 WHERE id = $1', [row.reply_to_id])
      return row && { replyToId: row.reply_to_id }
    },

    /** Takes the count an engagement event carries; works before the tweet itself is projected. */
    async setCount(tweetId: string, column: 'like_count' | 'retweet_count', value: number) {
      await db.query(
        `INSERT INTO engagement_counts (tweet_id, ${column}) VALUES ($1, $2) ON CONFLICT (tweet_id) DO UPDATE SET ${column} = EXCLUDED.${column}`,
        [tweetId, value])
    },

    async insertRetweet(retweet: { id: string; tweetId: string; userId: string; at: string }) {
      await db.query('INSERT INTO retweets VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [retweet.id, retweet.tweetId, retweet.userId, retweet.at])
    },

    async deleteRetweet(retweetId: string) {
      await db.query('DELETE FROM retweets WHERE id = $1', [retweetId])
    },

    async addLike(userId: string, tweetId: string) {
      await db.query('INSERT INTO likes VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, tweetId])
    },

    async removeLike(userId: string, tweetId: string) {
      await db.query('DELETE FROM likes WHERE user_id = $1 AND tweet_id = $2', [userId, tweetId])
    },

    /** True the first time `consumer` claims `eventId` (in processed_events); false on a redelivery, which must change nothing. */
    claim: (consumer: string, eventId: string) => claimEvent(db, consumer, eventId),

    async followerCount(userId: string) {
      const { rows: [row] } = await db.query<{ n: number }>('SELECT n FROM follower_counts WHERE user_id = $1', [userId])
      return row?.n ?? 0
    },

    async followersOf(userId: string): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>('SELECT follower_id::text AS id FROM follows WHERE followee_id = $1', [userId])
      return rows.map((r) => r.id)
    },

    /** `userId`'s followers, or none when they have `threshold` or more: one round trip per fanout. */
    async followersBelow(userId: string, threshold: number): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>({
        name: 'timeline-push-followers',
        text: `SELECT follower_id::text AS id FROM follows
                WHERE followee_id = $1 AND coalesce((SELECT n FROM follower_counts WHERE user_id = $1), 0) < $2`,
        values: [userId, threshold],
      })
      return rows.map((r) => r.id)
    },

    /**
     * What a read of `userId`'s timeline needs from the graph, in one round trip: whom they follow,
     * with each one's follower count (to tell high-follower authors apart), and everyone whose
     * entries they must not see (blocked either way, or muted).
     */
    async readerGraph(userId: string): Promise<ReaderGraph> {
      // Named: prepared once per connection, as this runs on every read.
      const { rows } = await db.query<{ id: string; followers: number | null }>({
        name: 'timeline-reader-graph',
        text: `SELECT f.followee_id::text AS id, coalesce(c.n, 0) AS followers
                 FROM follows f LEFT JOIN follower_counts c ON c.user_id = f.followee_id WHERE f.follower_id = $1
               UNION ALL SELECT blocked_id::text, NULL FROM blocks WHERE blocker_id = $1
               UNION ALL SELECT blocker_id::text, NULL FROM blocks WHERE blocked_id = $1
               UNION ALL SELECT muted_id::text, NULL FROM mutes WHERE muter_id = $1`,
        values: [userId],
      })
      return {
        followees: rows.flatMap((r) => (r.followers === null ? [] : [{ id: r.id, followers: r.followers }])),
        hidden: new Set(rows.flatMap((r) => (r.followers === null ? [r.id] : []))),
      }
    },

    /** The newest entries (tweets and retweets, not deleted) by any of `actorIds`. */
    async recentEntries(actorIds: string[], limit: number): Promise<Entry[]> {
      if (actorIds.length === 0) return []
      const { rows } = await db.query<{ sort_id: string; tweet_id: string; author_id: string; retweeter_id: string | null }>(
        `(SELECT id::text AS sort_id, id::text AS tweet_id, author_id::text, NULL AS retweeter_id
            FROM tweets WHERE author_id = ANY($1::bigint[]) AND deleted_at IS NULL ORDER BY id DESC LIMIT $2)
         UNION ALL
         (SELECT r.id::text, r.tweet_id::text, t.author_id::text, r.user_id::text
            FROM retweets r JOIN tweets t ON t.id = r.tweet_id
           WHERE r.user_id = ANY($1::bigint[]) AND t.deleted_at IS NULL ORDER BY r.id DESC LIMIT $2)`,
        [actorIds, limit],
      )
      return rows.map((r) => ({ sortId: r.sort_id, tweetId: r.tweet_id, authorId: r.author_id, retweeterId: r.retweeter_id }))
    },

    /** Live tweets by id, with their counts, in one query. */
    async tweets(ids: string[]): Promise<Map<string, TweetRecord>> {
      if (ids.length === 0) return new Map()
      const { rows } = await db.query<TweetRecord>({
        name: 'timeline-hydrate-tweets',
        text: `SELECT t.id::text, t.text, ${ISO('t.created_at')} AS created_at, t.author_id::text,
                t.conversation_id::text, t.reply_to_id::text, t.quote_of_id::text, t.mentions, t.hashtags, t.media,
                coalesce(c.like_count, 0) AS like_count, coalesce(c.retweet_count, 0) AS retweet_count, t.reply_count
           FROM tweets t LEFT JOIN engagement_counts c ON c.tweet_id = t.id
          WHERE t.id = ANY($1::bigint[]) AND t.deleted_at IS NULL`,
        values: [ids],
      })
      return new Map(rows.map((row) => [row.id, row]))
    },

    async replyCount(tweetId: string) {
      const { rows: [row] } = await db.query<{ n: number }>('SELECT reply_count AS n FROM tweets WHERE id = $1', [tweetId])
      return row?.n
    },

    /** The reader's newest `limit` likes and retweets, for the cache of their state of each tweet. */
    async viewerSets(userId: string, limit: number): Promise<ViewerSets> {
      const { rows } = await db.query<{ kind: 'liked' | 'retweeted'; tweet_id: string }>(
        `(SELECT 'liked' AS kind, tweet_id::text FROM likes WHERE user_id = $1 ORDER BY tweet_id DESC LIMIT $2)
         UNION ALL
         (SELECT 'retweeted', tweet_id::text FROM (SELECT DISTINCT tweet_id FROM retweets WHERE user_id = $1 ORDER BY tweet_id DESC LIMIT $2) r)`,
        [userId, limit],
      )
      const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.tweet_id)
      const [liked, retweeted] = [of('liked'), of('retweeted')]
      // A full list may have left older ones out: the cache then answers only from its oldest id on.
      const oldest = (ids: string[]) => ids.map(BigInt).reduce((a, b) => (a < b ? a : b))
      const floor = [liked, retweeted].filter((ids) => ids.length === limit).map(oldest).reduce((a, b) => (a > b ? a : b), 0n)
      return { liked, retweeted, floor: String(floor) }
    },

    /** Whether `userId` likes and has retweeted each of `tweetIds`, in one query (one row per id). */
    async viewerStates(userId: string, tweetIds: string[]): Promise<Map<string, Viewer>> {
      if (tweetIds.length === 0) return new Map()
      // Named: prepared once per connection, as this runs on every read.
      const { rows } = await db.query<Viewer & { id: string }>({
        name: 'timeline-viewer-states',
        text: `SELECT t.id::text,
                EXISTS (SELECT 1 FROM likes l WHERE l.user_id = $1 AND l.tweet_id = t.id) AS liked,
                EXISTS (SELECT 1 FROM retweets r WHERE r.user_id = $1 AND r.tweet_id = t.id) AS retweeted
           FROM unnest($2::bigint[]) AS t(id)`,
        values: [userId, tweetIds],
      })
      return new Map(rows.map(({ id, liked, retweeted }) => [id, { liked, retweeted }]))
    },

    async users(ids: string[]): Promise<Map<string, UserRecord>> {
      if (ids.length === 0) return new Map()
      const { rows } = await db.query<UserRecord>({
        name: 'timeline-hydrate-users',
        text: `SELECT id::text, username, display_name, avatar_url, (extract(epoch FROM updated_at) * 1000)::float8 AS version
                 FROM users WHERE id = ANY($1::bigint[])`,
        values: [ids],
      })
      return new Map(rows.map((row) => [row.id, row]))
    },
  }
}
export type ProjectionRepository = ReturnType<typeof createProjectionRepository>
