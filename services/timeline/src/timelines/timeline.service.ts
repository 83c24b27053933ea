import { cursorCodec } from '@starling/shared/http'
import type { Viewer } from '@starling/shared/schemas'
import Type from 'typebox'
import { errors } from '../errors.ts'
import { actorOf, decodeEntry, type Entry } from './entry.ts'
import type { ProjectionRepository } from './projection.repository.ts'
import type { CacheHit, TimelineCache } from './timeline.cache.ts'
import type { TimelineMetrics } from './timeline.metrics.ts'
import type { TimelineItem } from './timeline.schemas.ts'
import type { TimelineStore } from './timeline.store.ts'

const MAX_ROUNDS = 10
/** [member]: the Redis member (sort id, tweet, author, retweeter) a page ended at. */
const memberCursor = cursorCodec(Type.Tuple([Type.String({ pattern: '^[0-9]{20}:[0-9]{1,20}:[0-9]{1,20}:[0-9]{0,20}$' })]))

/**
 * Reads a home timeline: the pushed entries in Redis merged with the recent entries of followed
 * high-follower authors, newest first, filtered (unfollowed, blocked, muted, deleted) and hydrated
 * from the Redis copies of tweets, names and the reader's own state of each tweet (`viewer`),
 * which Postgres fills on a miss. A warm page costs two Redis round trips (three with
 * high-follower follows) and no query. The cursor is the last entry returned, so pages neither
 * repeat nor skip entries.
 */
export function createTimelineService(deps: {
  projection: ProjectionRepository
  store: TimelineStore
  cache: TimelineCache
  metrics: TimelineMetrics
  celebrityThreshold: number
  maxEntries: number
}) {
  const { projection, store, cache, metrics, celebrityThreshold, maxEntries } = deps

  /** A reader back after inactivity (or after Redis lost their timeline) gets it rebuilt now. */
  async function rebuild(readerId: string, pushedFollowees: string[]) {
    await store.addToHome(readerId, await projection.recentEntries([readerId, ...pushedFollowees], maxEntries))
  }

  /** The reader's follows and hidden authors: cached in Redis, loaded from the projection on a miss. */
  async function readerGraph(readerId: string) {
    const lookup = await store.lookupGraph(readerId)
    if (lookup.cached) return lookup.cached
    const graph = await projection.readerGraph(readerId)
    await store.fillGraph(readerId, lookup, graph)
    return graph
  }

  const readAuthor = (authorId: string, generation: string, after: string | undefined, want: number) =>
    store.readAuthor(authorId, { generation, after, count: want }, () => projection.recentEntries([authorId], maxEntries))

  /** The page's tweets, names and the reader's state of each, from the cache; what it lacks, from Postgres, then cached. */
  async function hydrate(generation: string, readerId: string, entries: Entry[]): Promise<Map<string, TimelineItem>> {
    const tweetIds = [...new Set(entries.map((e) => e.tweetId))]
    const userIds = [...new Set(entries.flatMap((e) => (e.retweeterId ? [e.authorId, e.retweeterId] : [e.authorId])))]
    const hit = await cache.read(generation, readerId, tweetIds, userIds)
    const [tweets, users, viewer] = await Promise.all([
      fill(tweetIds, hit.tweets, (ids) => projection.tweets(ids), (rows) => cache.fillTweets(generation, rows)),
      fill(userIds, hit.users, (ids) => projection.users(ids), (rows) => cache.putUsers(generation, rows)),
      viewerStates(generation, readerId, tweetIds, hit),
    ])
    if (tweetIds.length > hit.tweets.size || userIds.length > hit.users.size) metrics.cacheMisses.inc()
    const items = new Map<string, TimelineItem>()
    for (const entry of entries) {
      const tweet = tweets.get(entry.tweetId)
      const retweeter = entry.retweeterId ? users.get(entry.retweeterId) : undefined
      if (!tweet || (entry.retweeterId && !retweeter)) continue
      const { author_id: authorId, ...fields } = tweet
      const author = users.get(authorId)
      items.set(`${entry.sortId}:${entry.tweetId}`, {
        ...fields,
        author: { id: authorId, username: author?.username ?? '', display_name: author?.display_name ?? '', avatar_url: author?.avatar_url ?? null },
        retweeted_by: retweeter ? { id: retweeter.id, username: retweeter.username, display_name: retweeter.display_name, avatar_url: retweeter.avatar_url } : null,
        viewer: viewer.get(entry.tweetId) ?? { liked: false, retweeted: false },
      })
    }
    return items
  }

  /** What the cache had, with the rest loaded and cached; a tweet the cache knows is deleted stays out. */
  async function fill<T>(ids: string[], cached: Map<string, T | null>, load: (ids: string[]) => Promise<Map<string, T>>, store: (rows: T[]) => Promise<void>) {
    const found = new Map<string, T>()
    for (const [id, value] of cached) if (value !== null) found.set(id, value)
    const missing = ids.filter((id) => !cached.has(id))
    if (missing.length === 0) return found
    const loaded = await load(missing)
    await store([...loaded.values()])
    for (const [id, value] of loaded) found.set(id, value)
    return found
  }

  /** The reader's state of each tweet: from their cached sets, else loaded (and cached) from Postgres. */
  async function viewerStates(generation: string, readerId: string, tweetIds: string[], hit: CacheHit): Promise<Map<string, Viewer>> {
    const states = new Map(hit.viewer)
    if (hit.viewerMiss !== undefined) {
      const sets = await projection.viewerSets(readerId, cache.viewerLoad)
      await cache.fillViewer(generation, readerId, hit.viewerMiss, sets)
      const [liked, retweeted] = [new Set(sets.liked), new Set(sets.retweeted)]
      for (const id of tweetIds) if (BigInt(id) >= BigInt(sets.floor)) states.set(id, { liked: liked.has(id), retweeted: retweeted.has(id) })
    }
    // Older than the newest likes and retweets cached: asked of Postgres.
    const older = tweetIds.filter((id) => !states.has(id))
    if (older.length > 0) for (const [id, state] of await projection.viewerStates(readerId, older)) states.set(id, state)
    return states
  }

  return {
    async read(readerId: string, requesterId: string, limit: number, cursor?: string) {
      if (readerId !== requesterId) throw errors.TML_NOT_YOURS('A home timeline can only be read by its owner.')
      let after = cursor ? memberCursor.decode(cursor)[0] : undefined

      const [{ trusted, generation }, { followees, hidden }] = await Promise.all([store.touch(readerId), readerGraph(readerId)])
      const pulled = followees.filter((f) => f.followers >= celebrityThreshold).map((f) => f.id)
      if (!trusted) {
        await store.resetHome(readerId)
        await rebuild(readerId, followees.filter((f) => f.followers < celebrityThreshold).map((f) => f.id))
      }
      if (pulled.length > 0) metrics.pullMerges.inc()
      const followed = new Set([readerId, ...followees.map((f) => f.id)])
      const visible = (entry: Entry) => followed.has(actorOf(entry)) && !hidden.has(actorOf(entry)) && !hidden.has(entry.authorId)

      const page: { member: string; item: TimelineItem }[] = []
      let exhausted = false
      for (let round = 0; round < MAX_ROUNDS && page.length <= limit && !exhausted; round++) {
        const want = limit + 1 - page.length
        const sources = await Promise.all([store.readHome(readerId, after, want), ...pulled.map((id) => readAuthor(id, generation, after, want))])
        // The next `want` entries overall are among the first `want` of each source.
        const merged = [...new Set(sources.flat())].sort().reverse().slice(0, want)
        exhausted = merged.length < want
        if (merged.length === 0) break
        after = merged.at(-1)
        const entries = merged.map((member) => ({ member, entry: decodeEntry(member) })).filter(({ entry }) => visible(entry))
        const items = await hydrate(generation, readerId, entries.map(({ entry }) => entry))
        for (const { member, entry } of entries) {
          const item = items.get(`${entry.sortId}:${entry.tweetId}`)
          if (item) page.push({ member, item })
        }
      }
      const more = page.length > limit || (!exhausted && page.length > 0)
      const shown = page.slice(0, limit)
      const last = page.length > limit ? shown.at(-1)?.member : after
      return { items: shown.map(({ item }) => item), next_cursor: more && last ? memberCursor.encode([last]) : null }
    },
  }
}
export type TimelineService = ReturnType<typeof createTimelineService>
