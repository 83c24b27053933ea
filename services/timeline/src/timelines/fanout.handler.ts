import type { EventEnvelope } from '@starling/shared/events'
import type { Entry } from './entry.ts'
import type { ProjectionRepository } from './projection.repository.ts'
import type { TimelineMetrics } from './timeline.metrics.ts'
import type { TimelineStore } from './timeline.store.ts'

/**
 * Applies every event the timeline cares about: the projection in Postgres first, then Redis.
 * Everything is idempotent (upserts, ZADD/ZREM of fixed members), so redelivery and full replays
 * leave the same timelines.
 */
export function createFanoutHandler(deps: {
  projection: ProjectionRepository
  store: TimelineStore
  metrics: TimelineMetrics
  celebrityThreshold: number
  maxEntries: number
}) {
  const { projection, store, metrics, celebrityThreshold, maxEntries } = deps

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
        const { user_id, username, display_name } = event.payload
        const version = event.type === 'user.updated' ? event.payload.updated_at : event.payload.created_at
        return projection.upsertUser({ id: user_id, username, display_name }, version)
      }
      case 'tweet.created': {
        const tweet = event.payload
        await projection.insertTweet(tweet)
        return publish(tweet.author_id, { sortId: tweet.tweet_id, tweetId: tweet.tweet_id, authorId: tweet.author_id, retweeterId: null }, tweet.created_at)
      }
      case 'tweet.deleted': {
        const { tweet_id, author_id, deleted_at } = event.payload
        await projection.deleteTweet(tweet_id, deleted_at)
        return retract(author_id, { sortId: tweet_id, tweetId: tweet_id, authorId: author_id, retweeterId: null })
      }
      case 'retweet.created':
      case 'retweet.deleted': {
        // Never waits for the tweet (it is on another topic): the entry is pushed now, and a read
        // shows it once the tweet is projected.
        const { retweet_id, tweet_id, user_id, tweet_author_id, retweet_count, at } = event.payload
        await projection.setCount(tweet_id, 'retweet_count', retweet_count)
        const entry = { sortId: retweet_id, tweetId: tweet_id, authorId: tweet_author_id, retweeterId: user_id }
        if (event.type === 'retweet.deleted') {
          await projection.deleteRetweet(retweet_id)
          return retract(user_id, entry)
        }
        await projection.insertRetweet({ id: retweet_id, tweetId: tweet_id, userId: user_id, at })
        return publish(user_id, entry, at)
      }
      case 'like.created':
      case 'like.deleted':
        return projection.setCount(event.payload.tweet_id, 'like_count', event.payload.like_count)
      case 'follow.created': {
        const { follower_id, followee_id } = event.payload
        const followers = await projection.addFollow(follower_id, followee_id)
        await graphChanged([follower_id], followers === celebrityThreshold)
        return backfill(follower_id, followee_id)
      }
      case 'follow.deleted': {
        const { follower_id, followee_id } = event.payload
        const followers = await projection.removeFollow(follower_id, followee_id)
        await graphChanged([follower_id], followers === celebrityThreshold - 1)
        return store.removeActor(follower_id, followee_id)
      }
      case 'block.created':
      case 'block.deleted': {
        const { blocker_id, blocked_id } = event.payload
        await projection.setRelation('blocks', blocker_id, blocked_id, event.type === 'block.created')
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
        await projection.setRelation('mutes', muter_id, muted_id, event.type === 'mute.created')
        await graphChanged([muter_id], false)
        if (event.type === 'mute.created') return store.removeActor(muter_id, muted_id)
        if (await projection.follows(muter_id, muted_id)) return backfill(muter_id, muted_id)
        return
      }
    }
  }
}
