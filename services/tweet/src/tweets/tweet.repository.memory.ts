import type { ReplicaRepository } from '@starling/shared/replicas'
import type { Tweet } from '@starling/shared/schemas'
import type { TweetRecord } from './tweet.cache.ts'
import type { PageWindow, TweetRef, TweetRepository, TweetRow } from './tweet.repository.ts'

/** A tweets row in memory: the tweet as stored, its author's id, and whether it was deleted. */
export interface MemoryTweet extends TweetRecord {
  deleted_at: Date | undefined
}

/** A clock for the rows: a second later at each call. */
function steadyClock(start = '2026-01-01T00:00:00Z') {
  let t = Date.parse(start)
  return () => new Date(t += 1000)
}

/**
 * The tweet service's tables in memory, for unit tests of the rules: tweets with their counts (the
 * engagement repository changes them too, see engagement.repository.memory.ts) and idempotency
 * keys. Authors are read from the replica's users as the SQL joins them. Ids grow as
 * starling_next_id() does; `rows` and `nextId` are shared with the engagements.
 */
export function createMemoryTweetRepository(users: ReplicaRepository['users'], clock = steadyClock()) {
  const rows = new Map<string, MemoryTweet>()
  const keys = new Map<string, { request_hash: string; tweet_id: string }>()
  let lastId = 1_000_000n
  const nextId = () => String(++lastId)

  const live = (id: string) => {
    const row = rows.get(id)
    return row && !row.deleted_at ? row : undefined
  }
  const ref = (row: MemoryTweet): TweetRef => ({ author_id: row.author_id, conversation_id: row.conversation_id, reply_to_id: row.reply_to_id })
  async function shown(row: MemoryTweet): Promise<Tweet> {
    const { author_id, deleted_at: _deleted, ...tweet } = row
    const author = (await users.get(author_id))!
    return { ...tweet, author: { id: author.id, username: author.username, display_name: author.display_name, avatar_url: author.avatar_url } }
  }
  function listIds(field: 'author_id' | 'reply_to_id', order: 'ASC' | 'DESC', id: string, page: PageWindow): string[] {
    const sign = order === 'DESC' ? -1 : 1
    return [...rows.values()]
      .filter((row) => !row.deleted_at && row[field] === id)
      .filter((row) => page.after === undefined || sign * Number(BigInt(row.id) - BigInt(page.after)) > 0)
      .sort((a, b) => sign * Number(BigInt(a.id) - BigInt(b.id)))
      .slice(0, page.limit)
      .map((row) => row.id)
  }

  const repository = {
    nextId: async () => nextId(),
    async insert(tweet: TweetRow) {
      if (!(await users.get(tweet.authorId))) throw new Error(`tweets_author_id_fkey: no user ${tweet.authorId}`)
      const id = tweet.id ?? nextId()
      const row: MemoryTweet = {
        id, author_id: tweet.authorId, text: tweet.text, created_at: clock().toISOString(),
        conversation_id: tweet.conversationId ?? id, reply_to_id: tweet.replyToId, quote_of_id: tweet.quoteOfId,
        mentions: tweet.mentions, hashtags: tweet.hashtags, media: tweet.media, like_count: 0, retweet_count: 0, reply_count: 0, deleted_at: undefined,
      }
      rows.set(row.id, row)
      return shown(row)
    },
    async findById(id: string) {
      const row = live(id)
      return row && shown(row)
    },
    findByIds: async (ids: string[]) => ids.flatMap((id) => {
      const row = live(id)
      if (!row) return []
      const { deleted_at: _deleted, ...record } = row
      return [{ ...record }]
    }),
    authors: async (ids: string[]) => (await Promise.all(ids.map((id) => users.get(id))))
      .flatMap((user) => (user ? [{ id: user.id, username: user.username, display_name: user.display_name, avatar_url: user.avatar_url }] : [])),
    replyTargetOf: async (id: string) => rows.get(id)?.reply_to_id ?? null,
    findRef: async (id: string) => {
      const row = live(id)
      return row && ref(row)
    },
    lockRef: async (id: string) => {
      const row = live(id)
      return row && ref(row)
    },
    async addReply(parentId: string) {
      const row = live(parentId)
      if (!row) return undefined
      row.reply_count += 1
      return ref(row)
    },
    async removeReply(parentId: string) {
      rows.get(parentId)!.reply_count -= 1
    },
    async markDeleted(id: string) {
      const row = rows.get(id)!
      row.deleted_at = clock()
      return row.deleted_at
    },
    idsByAuthor: async (authorId: string, page: PageWindow) => listIds('author_id', 'DESC', authorId, page),
    replyIds: async (parentId: string, page: PageWindow) => listIds('reply_to_id', 'ASC', parentId, page),
    async claimIdempotencyKey(claim: { userId: string; key: string; requestHash: string; tweetId: string }) {
      const key = `${claim.userId}:${claim.key}`
      const earlier = keys.get(key)
      // A claim whose tweet was never inserted belongs to a request that failed: in SQL it rolled back with it.
      if (earlier && rows.has(earlier.tweet_id)) return earlier
      keys.set(key, { request_hash: claim.requestHash, tweet_id: claim.tweetId })
      return undefined
    },
  } satisfies TweetRepository
  return { ...repository, rows, newId: nextId }
}
export type MemoryTweetRepository = ReturnType<typeof createMemoryTweetRepository>
