import type { Sql } from '@starling/shared/outbox'
import type { MediaAttachment, Mention, Tweet } from '@starling/shared/schemas'
import type { Author, TweetRecord } from './tweet.cache.ts'

// A tweet as clients see it: `t` is the tweets row, `u` its author in the replica.
const TWEET_COLUMNS = `t.id::text AS id, t.text,
  to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  json_build_object('id', u.id::text, 'username', u.username, 'display_name', u.display_name, 'avatar_url', u.avatar_url) AS author,
  t.conversation_id::text AS conversation_id, t.reply_to_id::text AS reply_to_id, t.quote_of_id::text AS quote_of_id,
  t.mentions, t.hashtags, t.media, t.like_count, t.retweet_count, t.reply_count`

const LIVE_TWEETS = 'tweets t JOIN users u ON u.id = t.author_id WHERE t.deleted_at IS NULL'

// A tweet as the cache keeps it: the row without its author's names.
const RECORD_COLUMNS = `t.id::text AS id, t.text,
  to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, t.author_id::text AS author_id,
  t.conversation_id::text AS conversation_id, t.reply_to_id::text AS reply_to_id, t.quote_of_id::text AS quote_of_id,
  t.mentions, t.hashtags, t.media, t.like_count, t.retweet_count, t.reply_count`

export interface TweetRow {
  /** Drawn by the insert when absent (starling_next_id()). */
  id?: string
  authorId: string
  text: string
  /** The tweet's own id when absent: it starts a conversation. */
  conversationId?: string
  replyToId: string | null
  quoteOfId: string | null
  mentions: Mention[]
  hashtags: string[]
  media: MediaAttachment[]
}

/** What a write needs to know of a live tweet. */
export interface TweetRef {
  author_id: string
  conversation_id: string
  reply_to_id: string | null
}

export interface PageWindow {
  limit: number
  /** The id the page starts after (exclusive); none for the first page. */
  after?: string
}

/** The tweets and idempotency keys, on the pool (reads) or on a unit of work's transaction (changes). */
export function createTweetRepository(db: Sql) {
  const REF = 'author_id::text, conversation_id::text, reply_to_id::text'

  async function listIds(where: string, order: 'ASC' | 'DESC', id: string, page: PageWindow): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT t.id::text AS id FROM tweets t WHERE t.deleted_at IS NULL AND ${where} = $1
         AND ($3::bigint IS NULL OR t.id ${order === 'DESC' ? '<' : '>'} $3::bigint)
       ORDER BY t.id ${order} LIMIT $2`,
      [id, page.limit, page.after ?? null],
    )
    return rows.map((row) => row.id)
  }

  return {
    async nextId(): Promise<string> {
      const { rows: [row] } = await db.query<{ id: string }>('SELECT starling_next_id()::text AS id')
      return row!.id
    },

    async insert(tweet: TweetRow): Promise<Tweet> {
      // One statement, prepared once per connection: the id (unless the caller drew it already) and
      // the conversation a new thread starts are the row's own.
      const { rows: [row] } = await db.query<Tweet>({
        name: 'tweet-insert',
        text: `WITH new AS (SELECT coalesce($1::bigint, starling_next_id()) AS id),
              t AS (
                INSERT INTO tweets (id, author_id, text, conversation_id, reply_to_id, quote_of_id, mentions, hashtags, media)
                SELECT new.id, $2, $3, coalesce($4::bigint, new.id), $5, $6, $7::jsonb, $8::text[], $9::jsonb FROM new RETURNING *
              )
              SELECT ${TWEET_COLUMNS} FROM t JOIN users u ON u.id = t.author_id`,
        values: [tweet.id ?? null, tweet.authorId, tweet.text, tweet.conversationId ?? null, tweet.replyToId, tweet.quoteOfId, JSON.stringify(tweet.mentions), tweet.hashtags, JSON.stringify(tweet.media)],
      })
      return row!
    },

    async findById(id: string): Promise<Tweet | undefined> {
      const { rows: [row] } = await db.query<Tweet>(`SELECT ${TWEET_COLUMNS} FROM ${LIVE_TWEETS} AND t.id = $1`, [id])
      return row
    },

    /** The live ones of these tweets, in no order. */
    async findByIds(ids: string[]): Promise<TweetRecord[]> {
      const { rows } = await db.query<TweetRecord>(`SELECT ${RECORD_COLUMNS} FROM tweets t WHERE t.id = ANY ($1::bigint[]) AND t.deleted_at IS NULL`, [ids])
      return rows
    },

    /** The names of these accounts, from the replica. */
    async authors(ids: string[]): Promise<Author[]> {
      const { rows } = await db.query<Author>('SELECT id::text, username, display_name, avatar_url FROM users WHERE id = ANY ($1::bigint[])', [ids])
      return rows
    },

    /** The tweet this one replies to, deleted or not; null when it replies to none (or does not exist). */
    async replyTargetOf(id: string): Promise<string | null> {
      const { rows: [row] } = await db.query<{ reply_to_id: string | null }>('SELECT reply_to_id::text FROM tweets WHERE id = $1', [id])
      return row?.reply_to_id ?? null
    },

    async findRef(id: string): Promise<TweetRef | undefined> {
      const { rows: [row] } = await db.query<TweetRef>(`SELECT ${REF} FROM tweets WHERE id = $1 AND deleted_at IS NULL`, [id])
      return row
    },

    /**
     * Locks a live tweet until commit, for deleting it. NO KEY UPDATE, so that likes and retweets
     * (whose foreign keys take KEY SHARE on it) are not blocked by it, nor it by them.
     */
    async lockRef(id: string): Promise<TweetRef | undefined> {
      const { rows: [row] } = await db.query<TweetRef>(`SELECT ${REF} FROM tweets WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE`, [id])
      return row
    },

    /**
     * Counts a new reply on its parent when the parent is live, and returns the parent; undefined
     * when there is no live parent. The row stays locked until commit, so it cannot be deleted under the reply.
     */
    async addReply(parentId: string): Promise<TweetRef | undefined> {
      const { rows: [row] } = await db.query<TweetRef>(
        `UPDATE tweets SET reply_count = reply_count + 1 WHERE id = $1 AND deleted_at IS NULL RETURNING ${REF}`, [parentId],
      )
      return row
    },

    /** Uncounts a deleted reply, whether or not its parent is still live. */
    async removeReply(parentId: string) {
      await db.query('UPDATE tweets SET reply_count = reply_count - 1 WHERE id = $1', [parentId])
    },

    async markDeleted(id: string): Promise<Date> {
      const { rows: [row] } = await db.query<{ deleted_at: Date }>('UPDATE tweets SET deleted_at = now() WHERE id = $1 RETURNING deleted_at', [id])
      return row!.deleted_at
    },

    /** The ids of an author's live tweets, newest first. */
    idsByAuthor: (authorId: string, page: PageWindow) => listIds('t.author_id', 'DESC', authorId, page),
    /** The ids of the live replies to a tweet, oldest first (the order a thread is read in). */
    replyIds: (parentId: string, page: PageWindow) => listIds('t.reply_to_id', 'ASC', parentId, page),

    /**
     * Claims an Idempotency-Key for the tweet about to be inserted. Returns undefined when claimed,
     * or the earlier request's hash and tweet when the key was used before. A concurrent request
     * holding the same key makes the insert wait until it commits (then its row is found) or rolls back
     * (then the claim succeeds).
     */
    async claimIdempotencyKey(claim: { userId: string; key: string; requestHash: string; tweetId: string }) {
      const { rowCount } = await db.query(
        'INSERT INTO idempotency_keys (user_id, key, request_hash, tweet_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [claim.userId, claim.key, claim.requestHash, claim.tweetId],
      )
      if (rowCount === 1) return undefined
      const { rows: [row] } = await db.query<{ request_hash: string; tweet_id: string }>(
        'SELECT request_hash, tweet_id::text FROM idempotency_keys WHERE user_id = $1 AND key = $2', [claim.userId, claim.key],
      )
      return row
    },
  }
}
export type TweetRepository = ReturnType<typeof createTweetRepository>
