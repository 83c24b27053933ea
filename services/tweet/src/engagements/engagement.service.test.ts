import { createUserReplica, type ReplicaUser } from '@starling/shared/replicas'
import { createMemoryReplicaRepository, createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryMediaRepository } from '../media/media.repository.memory.ts'
import { memoryTweetCache } from '../tweets/tweet.cache.memory.ts'
import { createMemoryTweetRepository } from '../tweets/tweet.repository.memory.ts'
import { createTweetService } from '../tweets/tweet.service.ts'
import { createMemoryEngagementRepository } from './engagement.repository.memory.ts'
import { createEngagementService } from './engagement.service.ts'

const account = (id: string, username: string): ReplicaUser => ({ id, username, display_name: username, avatar_url: null, updated_at: '2026-01-01T00:00:00.000Z' })
const [ada, bob, cyd] = [account('1', 'ada'), account('2', 'bob'), account('3', 'cyd')]

/** Ada's tweet, and the engagements with it over in-memory tables; `events` holds only the engagement events. */
async function setup() {
  const replica = createMemoryReplicaRepository({ users: [ada, bob, cyd] })
  const tweets = createMemoryTweetRepository(replica.users)
  const engagements = createMemoryEngagementRepository(tweets)
  const media = createMemoryMediaRepository()
  const memory = createMemoryUnitOfWork({ tweets, engagements, media })
  const { cache, uow } = memoryTweetCache(memory, tweets.replyTargetOf)
  const posting = createTweetService({ uow, tweets, engagements, users: createUserReplica(replica), cache })
  const tweet = await posting.post(ada.id, { text: 'engage with me' })
  memory.published.length = 0
  return { service: createEngagementService({ uow }), posting, tweet, events: memory.published }
}
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)

describe('likes and retweets', () => {
  it('likes and unlikes idempotently, answering the count, with one event per real change keyed by the tweet', async () => {
    const { service, posting, tweet, events } = await setup()
    expect(await service.like(bob.id, tweet.id)).toEqual({ liked: true, like_count: 1 })
    expect(await service.like(bob.id, tweet.id)).toEqual({ liked: true, like_count: 1 })
    expect(await service.like(cyd.id, tweet.id)).toEqual({ liked: true, like_count: 2 })
    expect(await service.unlike(bob.id, tweet.id)).toEqual({ liked: false, like_count: 1 })
    expect(await service.unlike(bob.id, tweet.id)).toEqual({ liked: false, like_count: 1 })
    expect((await posting.get(tweet.id)).like_count).toBe(1)

    expect(events.map((event) => [event.type, event.key, (event.payload as { user_id: string }).user_id])).toEqual([
      ['like.created', tweet.id, bob.id], ['like.created', tweet.id, cyd.id], ['like.deleted', tweet.id, bob.id],
    ])
    expect(events[0]!.payload).toEqual({ tweet_id: tweet.id, user_id: bob.id, tweet_author_id: ada.id, like_count: 1, at: expect.any(String) })
    expect(events.map((event) => (event.payload as { like_count: number }).like_count)).toEqual([1, 2, 1])
  })

  it('retweets and undoes it idempotently; the retweet has an id of its own, newer than the tweet', async () => {
    const { service, posting, tweet, events } = await setup()
    expect(await service.retweet(bob.id, tweet.id)).toEqual({ retweeted: true, retweet_count: 1 })
    expect(await service.retweet(bob.id, tweet.id)).toEqual({ retweeted: true, retweet_count: 1 })
    expect((await posting.get(tweet.id))).toMatchObject({ retweet_count: 1, like_count: 0 })
    expect(await service.unretweet(bob.id, tweet.id)).toEqual({ retweeted: false, retweet_count: 0 })
    expect(await service.unretweet(bob.id, tweet.id)).toEqual({ retweeted: false, retweet_count: 0 })

    expect(events.map((event) => event.type)).toEqual(['retweet.created', 'retweet.deleted'])
    const [created, deleted] = events.map((event) => event.payload as { retweet_id: string; retweet_count: number })
    expect(BigInt(created!.retweet_id)).toBeGreaterThan(BigInt(tweet.id))
    expect(deleted).toMatchObject({ retweet_id: created!.retweet_id, retweet_count: 0, tweet_author_id: ada.id })
  })

  it('answers TWT_NOT_FOUND for a tweet that is not there or was deleted, either way, and publishes nothing', async () => {
    const { service, posting, tweet, events } = await setup()
    await service.like(bob.id, tweet.id)
    await posting.delete(ada.id, tweet.id)
    events.length = 0
    for (const id of [tweet.id, '404']) {
      for (const verb of ['like', 'unlike', 'retweet', 'unretweet'] as const) expect(await code(service[verb](bob.id, id))).toBe('TWT_NOT_FOUND')
    }
    expect(events).toEqual([])
  })
})
