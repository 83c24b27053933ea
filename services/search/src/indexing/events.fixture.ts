import { createEvent } from '@starling/shared/events'

/*
 * Events as the topics carry them, for unit tests of the indexer and of search over what it
 * indexed. Each happens a second after the one before, all before NOW.
 */
export const NOW = Date.parse('2026-01-02T00:00:00Z')
let seconds = 0
const tick = () => new Date(Date.parse('2026-01-01T00:00:00Z') + 1000 * ++seconds).toISOString()

export const registered = (id: string, username: string, displayName = username) =>
  createEvent('user.registered', 1, id, { user_id: id, username, display_name: displayName, created_at: tick() })
export const renamed = (id: string, username: string, displayName: string) =>
  createEvent('user.updated', 1, id, { user_id: id, username, display_name: displayName, bio: '', updated_at: tick() })
export const tweeted = (id: string, author: string, text: string, extra: { reply_to_id?: string } = {}) => createEvent('tweet.created', 1, id, {
  tweet_id: id, author_id: author, text, conversation_id: id, reply_to_id: extra.reply_to_id ?? null, reply_to_author_id: null,
  quote_of_id: null, quote_of_author_id: null, mentions: [], hashtags: [...text.matchAll(/#(\w+)/g)].map((m) => m[1]!.toLowerCase()), created_at: tick(),
})
export const deleted = (id: string, author: string) => createEvent('tweet.deleted', 1, id, { tweet_id: id, author_id: author, conversation_id: id, deleted_at: tick() })
/** A like by `by` (someone) that leaves the tweet with `count` likes; like.deleted takes one back. */
export const liked = (tweet: string, count: number, by = '99', type: 'like.created' | 'like.deleted' = 'like.created') =>
  createEvent(type, 1, tweet, { tweet_id: tweet, user_id: by, tweet_author_id: '98', like_count: count, at: tick() }, new Date(tick()))
export const retweeted = (tweet: string, count: number, by = '99', type: 'retweet.created' | 'retweet.deleted' = 'retweet.created') =>
  createEvent(type, 1, tweet, { retweet_id: '900', tweet_id: tweet, user_id: by, tweet_author_id: '98', retweet_count: count, at: tick() }, new Date(tick()))
export const blocked = (blocker: string, target: string, type: 'block.created' | 'block.deleted' = 'block.created') =>
  createEvent(type, 1, blocker, { blocker_id: blocker, blocked_id: target, at: tick() })
export const muted = (muter: string, target: string, type: 'mute.created' | 'mute.deleted' = 'mute.created') =>
  createEvent(type, 1, muter, { muter_id: muter, muted_id: target, at: tick() })
