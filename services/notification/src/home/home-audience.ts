import { mediaOfTweet, type LiveTweet, type PayloadOf } from '@starling/shared/events'
import type { ReplicaUser } from '@starling/shared/replicas'
import type { PresenceStore } from '../realtime/presence.store.ts'
import type { HomeRepository } from './home.repository.ts'

/**
 * Who may hear of an author's new tweet right away: the author (their home timeline shows their
 * own tweets) and their followers, among those present (a socket open, or closed within the
 * grace). It never asks the timeline service, so high-follower authors, whom the timeline merges
 * at read time, reach their followers the same way. Blocks, mutes and deletions are applied later,
 * in the event's transaction.
 *
 * Cost per tweet: one O(log n) count when nobody is present (then nothing else); otherwise the
 * smaller side of followers and present users, read and intersected with the other side, so
 * O(min(followers, present)): an ordinary author's few followers are looked up in the presence
 * set, a high-follower author's followers are probed for those present.
 */
export function createHomeAudience(deps: { presence: Pick<PresenceStore, 'count' | 'among' | 'all'>; home: Pick<HomeRepository, 'followers' | 'followersAmong'> }) {
  const { presence, home } = deps
  return {
    async of(authorId: string): Promise<string[]> {
      const present = await presence.count()
      if (present === 0) return []
      // One more than those present says which side is smaller.
      const followers = await home.followers(authorId, present + 1)
      if (followers.length <= present) return presence.among([authorId, ...followers])
      const online = await presence.all()
      const fans = await home.followersAmong(authorId, online.filter((id) => id !== authorId))
      return online.includes(authorId) ? [authorId, ...fans] : fans
    },
  }
}
export type HomeAudience = ReturnType<typeof createHomeAudience>

/** The tweet as a home timeline shows it, fresh: no likes, retweets or replies yet, no reader's state. */
export function liveTweetOf(tweet: PayloadOf<'tweet.created'>, author: Pick<ReplicaUser, 'username' | 'display_name' | 'avatar_url'> | undefined): LiveTweet {
  return {
    id: tweet.tweet_id,
    text: tweet.text,
    created_at: new Date(tweet.created_at).toISOString(),
    author: { id: tweet.author_id, username: author?.username ?? '', display_name: author?.display_name ?? '', avatar_url: author?.avatar_url ?? null },
    conversation_id: tweet.conversation_id,
    reply_to_id: tweet.reply_to_id,
    quote_of_id: tweet.quote_of_id,
    mentions: tweet.mentions,
    hashtags: tweet.hashtags,
    media: mediaOfTweet(tweet),
    like_count: 0,
    retweet_count: 0,
    reply_count: 0,
  }
}
