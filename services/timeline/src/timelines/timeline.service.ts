import { cursorCodec } from '@starling/shared/http'
import Type from 'typebox'
import { errors } from '../errors.ts'
import { actorOf, decodeEntry, type Entry } from './entry.ts'
import type { ProjectionRepository } from './projection.repository.ts'
import type { TimelineMetrics } from './timeline.metrics.ts'
import type { TimelineItem } from './timeline.schemas.ts'
import type { TimelineStore } from './timeline.store.ts'

const MAX_ROUNDS = 10
/** [member]: the Redis member (sort id, tweet, author, retweeter) a page ended at. */
const memberCursor = cursorCodec(Type.Tuple([Type.String({ pattern: '^[0-9]{20}:[0-9]{1,20}:[0-9]{1,20}:[0-9]{0,20}$' })]))

/**
 * Reads a home timeline: the pushed entries in Redis merged with the recent entries of followed
 * high-follower authors, newest first, filtered (unfollowed, blocked, muted, deleted) and hydrated
 * in one query, with the reader's own state of each tweet (`viewer`) in one more. The cursor is the
 * last entry returned, so pages neither repeat nor skip entries.
 */
export function createTimelineService(deps: {
  projection: ProjectionRepository
  store: TimelineStore
  metrics: TimelineMetrics
  celebrityThreshold: number
  maxEntries: number
}) {
  const { projection, store, metrics, celebrityThreshold, maxEntries } = deps

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

  const ensureAuthor = (authorId: string) => store.ensureAuthor(authorId, () => projection.recentEntries([authorId], maxEntries))

  async function hydrate(entries: Entry[]): Promise<Map<string, TimelineItem>> {
    const tweets = await projection.tweets([...new Set(entries.map((e) => e.tweetId))])
    const retweeters = await projection.users([...new Set(entries.flatMap((e) => (e.retweeterId ? [e.retweeterId] : [])))])
    const items = new Map<string, TimelineItem>()
    for (const entry of entries) {
      const tweet = tweets.get(entry.tweetId)
      const retweeter = entry.retweeterId ? retweeters.get(entry.retweeterId) : undefined
      if (!tweet || (entry.retweeterId && !retweeter)) continue
      items.set(`${entry.sortId}:${entry.tweetId}`, { ...tweet, retweeted_by: retweeter ?? null })
    }
    return items
  }

  return {
    async read(readerId: string, requesterId: string, limit: number, cursor?: string) {
      if (readerId !== requesterId) throw errors.TML_NOT_YOURS('A home timeline can only be read by its owner.')
      let after = cursor ? memberCursor.decode(cursor)[0] : undefined

      const [wasActive, { followees, hidden }] = await Promise.all([store.touch(readerId), readerGraph(readerId)])
      const pulled = followees.filter((f) => f.followers >= celebrityThreshold).map((f) => f.id)
      if (!wasActive) {
        await store.resetHome(readerId)
        await rebuild(readerId, followees.filter((f) => f.followers < celebrityThreshold).map((f) => f.id))
      }
      if (pulled.length > 0) {
        metrics.pullMerges.inc()
        await Promise.all(pulled.map(ensureAuthor))
      }
      const followed = new Set([readerId, ...followees.map((f) => f.id)])
      const visible = (entry: Entry) => followed.has(actorOf(entry)) && !hidden.has(actorOf(entry)) && !hidden.has(entry.authorId)

      const page: { member: string; item: TimelineItem }[] = []
      let exhausted = false
      for (let round = 0; round < MAX_ROUNDS && page.length <= limit && !exhausted; round++) {
        const want = limit + 1 - page.length
        const sources = await Promise.all([store.readHome(readerId, after, want), ...pulled.map((id) => store.readAuthor(id, after, want))])
        // The next `want` entries overall are among the first `want` of each source.
        const merged = [...new Set(sources.flat())].sort().reverse().slice(0, want)
        exhausted = merged.length < want
        if (merged.length === 0) break
        after = merged.at(-1)
        const entries = merged.map((member) => ({ member, entry: decodeEntry(member) })).filter(({ entry }) => visible(entry))
        const items = await hydrate(entries.map(({ entry }) => entry))
        for (const { member, entry } of entries) {
          const item = items.get(`${entry.sortId}:${entry.tweetId}`)
          if (item) page.push({ member, item })
        }
      }
      const more = page.length > limit || (!exhausted && page.length > 0)
      const shown = page.slice(0, limit)
      const last = page.length > limit ? shown.at(-1)?.member : after
      // The reader's own state of each tweet (a retweet's is of the tweet retweeted): one query per page, not per round.
      const states = await projection.viewerStates(readerId, [...new Set(shown.map((p) => p.item.id))])
      const items = shown.map(({ item }) => ({ ...item, viewer: states.get(item.id) ?? { liked: false, retweeted: false } }))
      return { items, next_cursor: more && last ? memberCursor.encode([last]) : null }
    },
  }
}
export type TimelineService = ReturnType<typeof createTimelineService>
