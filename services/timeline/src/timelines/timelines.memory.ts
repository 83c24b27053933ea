import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { createRelationReplica, createUserReplica } from '@starling/shared/replicas'
import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { Registry } from 'prom-client'
import { createFanoutHandler } from './fanout.handler.ts'
import { createMemoryProjection } from './projection.repository.memory.ts'
import { createMemoryTimelineCache } from './timeline.cache.memory.ts'
import { createTimelineMetrics } from './timeline.metrics.ts'
import { createTimelineService } from './timeline.service.ts'
import { createMemoryTimelineStore } from './timeline.store.memory.ts'

/**
 * The timeline service's fanout and reads over in-memory tables and sets, for unit tests of their
 * rules, with a small world to feed it: `say` builds the events the other services would publish,
 * each with a newer id and time than the one before, and `deliver` hands them to the handler.
 */
export function createMemoryTimelines(options: { celebrityThreshold?: number; maxEntries?: number } = {}) {
  const { celebrityThreshold = 3, maxEntries = 50 } = options
  const { projection, replicas } = createMemoryProjection()
  const store = createMemoryTimelineStore({ maxEntries })
  const cache = createMemoryTimelineCache()
  const registry = new Registry()
  const metrics = createTimelineMetrics(registry)
  const uow = createMemoryUnitOfWork({ projection, users: createUserReplica(replicas), relations: createRelationReplica(replicas, ['blocks', 'mutes']) })
  const deps = { projection, store, cache, metrics, celebrityThreshold, maxEntries }
  const handle = createFanoutHandler({ ...deps, uow })
  const timelines = createTimelineService(deps)

  let clock = Date.parse('2026-01-01T00:00:00Z')
  let sequence = 1_000_000n
  const at = () => new Date(clock += 1000).toISOString()
  const nextId = () => String(sequence += 1n)
  const delivered: EventEnvelope[] = []

  const say = {
    registered: (id: string, username: string) => createEvent('user.registered', 1, id, { user_id: id, username, display_name: username, created_at: at() }),
    renamed: (id: string, displayName: string, updatedAt = at()) =>
      createEvent('user.updated', 1, id, { user_id: id, username: `user${id}`, display_name: displayName, bio: '', updated_at: updatedAt }),
    tweet(authorId: string, text: string, reply?: { id: string; authorId: string }) {
      const id = nextId()
      return createEvent('tweet.created', 1, reply?.id ?? id, {
        tweet_id: id, author_id: authorId, text, conversation_id: reply?.id ?? id, reply_to_id: reply?.id ?? null, reply_to_author_id: reply?.authorId ?? null,
        quote_of_id: null, quote_of_author_id: null, mentions: [], hashtags: [], created_at: at(),
      })
    },
    deleted: (tweet: { tweet_id: string; author_id: string; conversation_id: string }) =>
      createEvent('tweet.deleted', 1, tweet.conversation_id, { tweet_id: tweet.tweet_id, author_id: tweet.author_id, conversation_id: tweet.conversation_id, deleted_at: at() }),
    follow: (followerId: string, followeeId: string) => createEvent('follow.created', 1, followerId, { follower_id: followerId, followee_id: followeeId, created_at: at() }),
    unfollow: (followerId: string, followeeId: string) =>
      createEvent('follow.deleted', 1, followerId, { follower_id: followerId, followee_id: followeeId, reason: 'unfollow', deleted_at: at() }),
    block: (blockerId: string, blockedId: string, type: 'block.created' | 'block.deleted' = 'block.created') =>
      createEvent(type, 1, blockerId, { blocker_id: blockerId, blocked_id: blockedId, at: at() }),
    mute: (muterId: string, mutedId: string, type: 'mute.created' | 'mute.deleted' = 'mute.created') =>
      createEvent(type, 1, muterId, { muter_id: muterId, muted_id: mutedId, at: at() }),
    like: (tweetId: string, userId: string, likeCount: number) =>
      createEvent('like.created', 1, tweetId, { tweet_id: tweetId, user_id: userId, tweet_author_id: '1', like_count: likeCount, at: at() }),
    unlike: (like: EventEnvelope<'like.created'>, likeCount: number) =>
      createEvent('like.deleted', 1, like.key, { ...like.payload, like_count: likeCount, at: at() }),
    retweet: (tweet: { tweet_id: string; author_id: string }, userId: string, retweetCount: number, retweetId = nextId()) =>
      createEvent('retweet.created', 1, tweet.tweet_id, { retweet_id: retweetId, tweet_id: tweet.tweet_id, user_id: userId, tweet_author_id: tweet.author_id, retweet_count: retweetCount, at: at() }),
    unretweet: (retweet: EventEnvelope<'retweet.created'>, retweetCount: number) =>
      createEvent('retweet.deleted', 1, retweet.key, { ...retweet.payload, retweet_count: retweetCount, at: at() }),
  }

  async function deliver<const Events extends EventEnvelope[]>(...events: Events): Promise<Events> {
    for (const event of events) {
      await handle(event)
      delivered.push(event)
    }
    return events
  }

  /** The ids of the reader's first page, as they read it (a read also marks them active). */
  const ids = async (readerId: string, limit = 100) => (await timelines.read(readerId, readerId, limit)).items.map((item) => item.id)

  /** Every page of the reader's timeline, following next_cursor. */
  async function pages(readerId: string, limit: number) {
    const all: string[][] = []
    let cursor: string | undefined
    do {
      const page = await timelines.read(readerId, readerId, limit, cursor)
      all.push(page.items.map((item) => item.id))
      cursor = page.next_cursor ?? undefined
    } while (cursor && all.length < 50)
    return all
  }

  /** A sample of the service's metrics, e.g. `timeline_fanout_lag_seconds_count`. */
  async function metric(name: string) {
    for (const family of await registry.getMetricsAsJSON()) {
      // A histogram's samples are named (…_count, …_sum, …_bucket); a counter's take the family's name.
      for (const sample of family.values as { metricName?: string; value: number }[]) if ((sample.metricName ?? family.name) === name) return sample.value
    }
    return 0
  }

  return { handle, timelines, store, projection, say, deliver, delivered, ids, pages, metric }
}
