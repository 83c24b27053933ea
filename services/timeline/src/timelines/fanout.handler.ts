import { avatarOfUser, mediaOfTweet, type EventEnvelope, type PayloadOf } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { RelationReplica, UserReplica } from '@starling/shared/replicas'
import type { Entry } from './entry.ts'
import type { ProjectionRepository } from './projection.repository.ts'
import type { TimelineCache } from './timeline.cache.ts'
import type { TimelineMetrics } from './timeline.metrics.ts'
import type { TimelineStore } from './timeline.store.ts'

/** The consumer group, and the name its applied engagement events are claimed under. */
export const CONSUMER = 'timeline-fanout'

/** What one event changes in Postgres, in one transaction: the projection and the replicas of users, blocks and mutes. */
export interface ProjectionWrites {
  projection: ProjectionRepository
  users: Pick<UserReplica, 'handle'>
  relations: Pick<RelationReplica, 'handle'>
}

/**
 * Applies every event the timeline cares about: the projection in Postgres first (one unit of work
 * per event), then Redis. Everything is idempotent (upserts, ZADD/ZREM of fixed members, engagement
 * events claimed by id), so redelivery and full replays leave the same timelines.
 */
export function createFanoutHandler(deps: {
  uow: UnitOfWork<ProjectionWrites>
  /** For reads, on the pool. */
  projection: ProjectionRepository
  store: TimelineStore
  cache: TimelineCache
  metrics: TimelineMetrics
  celebrityThreshold: number
  maxEntries: number
}) {
  const { uow, projection, store, cache, metrics, celebrityThreshold, maxEntries } = deps

  /**
   * An engagement event's changes (its count, who likes or retweeted what), applied once: claimed
   * by id in the same unit of work, so a redelivered like cannot come back after its unlike.
   */
  const applyOnce = (eventId: string, change: (projection: ProjectionRepository) => Promise<void>) =>
    uow.run(async ({ projection }) => {
      if (await projection.claim(CONSUMER, eventId)) await change(projection)
    })

  /**
   * The cached copies of what changed, after the change committed: a fill that read Postgres
   * before the commit can then no longer leave an older copy behind (see timeline.cache.ts).
   */
  const recache = async (change: (generation: string) => Promise<unknown>) => { await change(await store.generation()) }

  /**
   * A tweet is cached as it is projected, so the first reads of a new tweet find it: from the
   * event, with no counts yet (a count the worker already wrote, from an engagement event that
   * overtook the tweet, stays: see timeline.cache.ts). A reply moves its parent's reply count.
   */
  async function cacheTweet(generation: string, tweet: PayloadOf<'tweet.created'>) {
    const { tweet_id: id, author_id, text, conversation_id, reply_to_id, quote_of_id, mentions, hashtags } = tweet
    const media = mediaOfTweet(tweet)
    const created_at = new Date(tweet.created_at).toISOString()
    await cache.fillTweets(generation, [{ id, author_id, text, created_at, conversation_id, reply_to_id, quote_of_id, mentions, hashtags, media, like_count: 0, retweet_count: 0, reply_count: 0 }])
    const replies = reply_to_id ? await projection.replyCount(reply_to_id) : undefined
    if (reply_to_id && replies !== undefined) await cache.setCount(generation, reply_to_id, 'reply_count', replies)
  }

  async function publish(actorId: string, entry: Entry, createdAt?: string) {
    // Pushed to the actor and their followers, unless they have too many (then merged at read time).
    const [followers] = await Promise.all([projection.followersBelow(actorId, celebrityThreshold), store.addToAuthor(actorId, entry)])
    const written = await store.fanout(entry, [actorId, ...followers])
    metrics.fanoutEntries.inc(written)
    if (createdAt) metrics.fanoutLag.observe(Math.max(0, Date.now() - Date.parse(createdAt)) / 1000)
  }

  async function retract(actorId: string, entry: Entry) {
    await store.removeFromAuthor(actorId, entry)
    await store.removeEverywhere(entry, [actorId, ...(await projection.followersOf(actorId))])
  }

  /**
   * Drops the cached reader graphs of `readerIds`, and every one when an author just crossed the
   * high-follower threshold (each reader's graph says which followees are merged at read time).
   * Runs on redelivery too: a crash between the projection and this leaves nothing stale.
   */
  async function graphChanged(readerIds: string[], crossedThreshold: boolean) {
    await store.graphsChanged(readerIds)
    if (crossedThreshold) await store.celebritiesChanged()
  }

  /** A followee's recent entries into an active reader's timeline (pushed authors only). */
  async function backfill(readerId: string, authorId: string) {
    if (!(await store.isActive(readerId))) return
    if ((await projection.followerCount(authorId)) >= celebrityThreshold) return
    await store.addToHome(readerId, await projection.recentEntries([authorId], maxEntries))
  }

  return async function handle(event: EventEnvelope) {
    switch (event.type) {
      case 'user.registered':
      case 'user.updated': {
        await uow.run(({ users }) => users.handle(event))
        const { user_id, username, display_name } = event.payload
        const version = Date.parse(event.type === 'user.registered' ? event.payload.created_at : event.payload.updated_at)
        const avatarUrl = event.type === 'user.registered' ? null : avatarOfUser(event.payload)
        return recache((generation) => cache.putUsers(generation, [{ id: user_id, username, display_name, avatar_url: avatarUrl, version }]))
      }
      case 'tweet.created': {
        const tweet = event.payload
        await uow.run(({ projection }) => projection.insertTweet(tweet))
        await Promise.all([
          recache((generation) => cacheTweet(generation, tweet)),
          publish(tweet.author_id, { sortId: tweet.tweet_id, tweetId: tweet.tweet_id, authorId: tweet.author_id, retweeterId: null }, tweet.created_at),
        ])
        return
      }
      case 'tweet.deleted': {
        const { tweet_id, author_id, deleted_at } = event.payload
        const deleted = await uow.run(({ projection }) => projection.deleteTweet(tweet_id, deleted_at))
        // The tombstone is written on a redelivery too: the first delivery may have stopped before it.
        await recache(async (generation) => {
          await cache.tweetDeleted(generation, tweet_id)
          const parent = deleted?.replyToId
          const replies = parent ? await projection.replyCount(parent) : undefined
          if (parent && replies !== undefined) await cache.setCount(generation, parent, 'reply_count', replies)
        })
        return retract(author_id, { sortId: tweet_id, tweetId: tweet_id, authorId: author_id, retweeterId: null })
      }
      case 'retweet.created':
      case 'retweet.deleted': {
        // Never waits for the tweet (it is on another topic): the entry is pushed now, and a read
        // shows it once the tweet is projected.
        const { retweet_id, tweet_id, user_id, tweet_author_id, retweet_count, at } = event.payload
        const entry = { sortId: retweet_id, tweetId: tweet_id, authorId: tweet_author_id, retweeterId: user_id }
        const created = event.type === 'retweet.created'
        await applyOnce(event.id, async (projection) => {
          await projection.setCount(tweet_id, 'retweet_count', retweet_count)
          if (created) await projection.insertRetweet({ id: retweet_id, tweetId: tweet_id, userId: user_id, at })
          else await projection.deleteRetweet(retweet_id)
        })
        await recache((generation) => Promise.all([
          cache.setCount(generation, tweet_id, 'retweet_count', retweet_count),
          cache.viewerChanged(generation, user_id, 'retweeted', tweet_id, created),
        ]))
        // Redis is written on a redelivery too: the first delivery may have stopped before it.
        return created ? publish(user_id, entry, at) : retract(user_id, entry)
      }
      case 'like.created':
      case 'like.deleted': {
        const { tweet_id, user_id, like_count } = event.payload
        const created = event.type === 'like.created'
        await applyOnce(event.id, async (projection) => {
          await projection.setCount(tweet_id, 'like_count', like_count)
          if (created) await projection.addLike(user_id, tweet_id)
          else await projection.removeLike(user_id, tweet_id)
        })
        return recache((generation) => Promise.all([
          cache.setCount(generation, tweet_id, 'like_count', like_count),
          cache.viewerChanged(generation, user_id, 'liked', tweet_id, created),
        ]))
      }
      case 'follow.created': {
        const { follower_id, followee_id } = event.payload
        const followers = await uow.run(({ projection }) => projection.addFollow(follower_id, followee_id))
        await graphChanged([follower_id], followers === celebrityThreshold)
        return backfill(follower_id, followee_id)
      }
      case 'follow.deleted': {
        const { follower_id, followee_id } = event.payload
        const followers = await uow.run(({ projection }) => projection.removeFollow(follower_id, followee_id))
        await graphChanged([follower_id], followers === celebrityThreshold - 1)
        return store.removeActor(follower_id, followee_id)
      }
      case 'block.created':
      case 'block.deleted': {
        const { blocker_id, blocked_id } = event.payload
        await uow.run(({ relations }) => relations.handle(event))
        await graphChanged([blocker_id, blocked_id], false)
        if (event.type === 'block.created') {
          await store.removeActor(blocker_id, blocked_id)
          await store.removeActor(blocked_id, blocker_id)
        }
        return
      }
      case 'mute.created':
      case 'mute.deleted': {
        const { muter_id, muted_id } = event.payload
        await uow.run(({ relations }) => relations.handle(event))
        await graphChanged([muter_id], false)
        if (event.type === 'mute.created') return store.removeActor(muter_id, muted_id)
        if (await projection.follows(muter_id, muted_id)) return backfill(muter_id, muted_id)
        return
      }
    }
  }
}
