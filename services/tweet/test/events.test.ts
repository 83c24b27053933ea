import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { tweetService } from './fixtures/service.ts'
import { engage, tweet, watchTweetEvents } from './fixtures/tweets.ts'

let watcher: Awaited<ReturnType<typeof watchTweetEvents>>
beforeAll(async () => { watcher = await watchTweetEvents() })
afterAll(async () => { await watcher.close() })

describe('events', () => {
  it('publishes tweet.created keyed by the conversation, with the reply\'s and quote\'s authors', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const root = await tweet(ada, 'root #Start')
    const reply = await tweet(bob, `@${ada.username} agreed #Yes #yes`, { reply_to_id: root.id, quote_of_id: root.id })

    const created = await watcher.find('tweet.created', reply.id)
    expect(created).toMatchObject({ version: 2, key: root.id })
    expect(created.payload).toEqual({
      tweet_id: reply.id,
      author_id: bob.id,
      text: reply.text,
      conversation_id: root.id,
      reply_to_id: root.id,
      reply_to_author_id: ada.id,
      quote_of_id: root.id,
      quote_of_author_id: ada.id,
      mentions: [{ user_id: ada.id, username: ada.username }],
      hashtags: ['yes'],
      media: [],
      created_at: reply.created_at,
    })
    expect((await watcher.find('tweet.created', root.id)).payload).toMatchObject({ conversation_id: root.id, reply_to_id: null, hashtags: ['start'] })
  })

  it('publishes tweet.deleted, like and retweet events with the counts after each change', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const { id } = await tweet(ada, 'engage')
    await engage('POST', 'like', bob, id)
    await engage('POST', 'like', bob, id) // a no-op: no second event
    await engage('DELETE', 'like', bob, id)
    const retweet = await engage('POST', 'retweet', bob, id)
    expect(retweet.status).toBe(200)
    expect((await tweetService.request(`/tweets/${id}`, { method: 'DELETE', token: ada.token })).status).toBe(204)

    const liked = await watcher.find('like.created', id)
    expect(liked).toMatchObject({ key: id, version: 1 })
    expect(liked.payload).toEqual({ tweet_id: id, user_id: bob.id, tweet_author_id: ada.id, like_count: 1, at: expect.any(String) })
    expect((await watcher.find('like.deleted', id)).payload).toMatchObject({ user_id: bob.id, like_count: 0 })
    // like.deleted was committed after both likes, on the same partition: the no-op made no event.
    expect(watcher.all('like.created', id)).toHaveLength(1)
    const retweeted = await watcher.find('retweet.created', id)
    expect(retweeted.payload).toEqual({
      tweet_id: id, user_id: bob.id, tweet_author_id: ada.id, retweet_count: 1, retweet_id: expect.stringMatching(/^[0-9]+$/), at: expect.any(String),
    })
    expect(BigInt(retweeted.payload.retweet_id)).toBeGreaterThan(BigInt(id))
    const deleted = await watcher.find('tweet.deleted', id)
    expect(deleted).toMatchObject({ key: id, payload: { tweet_id: id, author_id: ada.id, conversation_id: id } })
  })
})
