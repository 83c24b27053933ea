import type { HomeRepository } from './home.repository.ts'

/**
 * The follows and live_tweets tables in memory, for unit tests, with the visibility of the
 * notification database in memory (createMemoryInbox's `visible`: blocks, mutes, deleted tweets).
 */
export function createMemoryHomeRepository(visible: (recipient: string, actor: string, tweet: string | null) => boolean) {
  const follows = new Set<string>()
  const sentTo = new Map<string, string[]>()
  const edge = (follower: string, followee: string) => `${follower}>${followee}`
  const calls = { followers: 0 }

  const home: HomeRepository = {
    async handle(event) {
      if (event.type === 'follow.created') follows.add(edge(event.payload.follower_id, event.payload.followee_id))
      else if (event.type === 'follow.deleted') follows.delete(edge(event.payload.follower_id, event.payload.followee_id))
    },
    async followers(authorId, limit) {
      calls.followers++
      return [...follows].filter((e) => e.endsWith(`>${authorId}`)).map((e) => e.split('>')[0]!).slice(0, limit)
    },
    followersAmong: async (authorId, userIds) => userIds.filter((id) => follows.has(edge(id, authorId))),
    mayRead: async (tweetId, authorId, userIds) => userIds.filter((id) => visible(id, authorId, tweetId)),
    async sent(tweetId, userIds) {
      if (!sentTo.has(tweetId)) sentTo.set(tweetId, userIds)
    },
    async takeRecipients(tweetId) {
      const ids = sentTo.get(tweetId) ?? []
      sentTo.delete(tweetId)
      return ids
    },
  }
  return { home, calls }
}
