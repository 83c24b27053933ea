import type { EventEnvelope } from '@starling/shared/events'
import type { CacheChange, TweetCache, TweetList } from './tweet.cache.ts'

/**
 * What each event changed in the tweet cache. The API applies it right after the commit, and the
 * worker again from Kafka (group tweet-cache, and after the user replica): a change whose first
 * telling was lost (Redis away for a moment, a process gone between commit and cache) still
 * reaches the cache. Applying one twice costs a cache miss, nothing more.
 * `replyTargetOf` names the tweet a deleted tweet replied to, which tweet.deleted does not carry.
 */
export function createCacheChanges(deps: { cache: Pick<TweetCache, 'changed'>; replyTargetOf: (tweetId: string) => Promise<string | null> }) {
  const { cache, replyTargetOf } = deps

  async function changeOf(event: EventEnvelope): Promise<CacheChange | undefined> {
    switch (event.type) {
      case 'tweet.created':
      case 'tweet.deleted': {
        const { tweet_id: id, author_id: authorId } = event.payload
        const parent = event.type === 'tweet.created' ? event.payload.reply_to_id : await replyTargetOf(id)
        const lists: TweetList[] = [{ author: authorId }, ...(parent === null ? [] : [{ repliesTo: parent }])]
        return { tweets: [id, ...(parent === null ? [] : [parent])], lists }
      }
      case 'like.created':
      case 'like.deleted':
      case 'retweet.created':
      case 'retweet.deleted':
        return { tweets: [event.payload.tweet_id], viewers: [event.payload.user_id] }
      case 'user.updated':
        return { authors: [event.payload.user_id] }
      default:
        return undefined
    }
  }

  return {
    /** Kafka handler: the cache change of one event. */
    async handle(event: EventEnvelope) {
      const change = await changeOf(event)
      if (change) await cache.changed(change)
    },
    /** The changes of the events one commit published, in one step. */
    async committed(events: EventEnvelope[]) {
      const changes = (await Promise.all(events.map(changeOf))).filter((change) => change !== undefined)
      await cache.changed({
        tweets: changes.flatMap((change) => change.tweets ?? []),
        lists: changes.flatMap((change) => change.lists ?? []),
        viewers: changes.flatMap((change) => change.viewers ?? []),
        authors: changes.flatMap((change) => change.authors ?? []),
      })
    },
  }
}
export type CacheChanges = ReturnType<typeof createCacheChanges>
