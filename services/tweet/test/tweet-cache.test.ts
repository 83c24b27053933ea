import { waitFor } from '@starling/shared/testing'
import { connectRedis, failFastRedis, masters } from '@starling/shared/db'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { createTweetCache, redisCacheStore, runPrefix, type TweetRecord } from '../src/tweets/tweet.cache.ts'
import { testEnv } from '../../../test/setup/env.ts'

const redis = connectRedis(testEnv.redisUrl)
const inspect = connectRedis(testEnv.redisUrl)
afterAll(() => {
  redis.disconnect()
  inspect.disconnect()
})
const cache = createTweetCache(redisCacheStore(redis, pino({ level: 'silent' })), { seconds: 60 })
// Ids no stack user has, so the test's writes touch nobody's reads.
let sequence = 0
const id = () => `9${String(Date.now())}${String(sequence++).padStart(4, '0')}`
const record = (tweetId: string, likes: number): TweetRecord => ({
  id: tweetId, text: 'cached', created_at: '2026-12-02T00:00:00.000Z', author_id: '1', conversation_id: tweetId,
  reply_to_id: null, quote_of_id: null, mentions: [], hashtags: [], media: [], like_count: likes, retweet_count: 0, reply_count: 0,
})
/** Once the store knows Redis' run id, a fill is kept. */
const ready = () => waitFor(async () => {
  const probe = id()
  const lookup = await cache.tweets([probe])
  await lookup.fill(new Map([[probe, record(probe, 0)]]))
  return (await cache.tweets([probe])).found.size === 1
}, { timeoutMs: 5000, what: 'the tweet cache to know the Redis run id' })

describe('the tweet cache in Redis', () => {
  // As the worker starts: its consumers change the cache from the first moment, retrying until a
  // change is applied. On a Redis Cluster, asking the nodes for their run ids before the client
  // was ready kept closing its connections, and the worker never got connected.
  it('applies a change a new client retries from its first moment, once it is connected', async () => {
    const client = failFastRedis(testEnv.redisUrl, pino({ level: 'silent' }), 'test')
    try {
      const fresh = createTweetCache(redisCacheStore(client, pino({ level: 'silent' })), { seconds: 60 })
      const tweetId = id()
      await waitFor(() => fresh.changed({ tweets: [tweetId] }).then(() => true, () => false), { timeoutMs: 10_000, intervalMs: 50, what: 'a change to be applied' })
      expect(client.status).toBe('ready')
    } finally {
      client.disconnect()
    }
  })

  it('keeps a filled tweet, under keys that name the Redis run', async () => {
    await ready()
    const tweetId = id()
    await (await cache.tweets([tweetId])).fill(new Map([[tweetId, record(tweetId, 3)]]))
    expect((await cache.tweets([tweetId])).found.get(tweetId)).toEqual(record(tweetId, 3))
    await inspect.ping()
    const runIds = await Promise.all(masters(inspect).map(async (node) => /run_id:(\w+)/.exec(await node.info('server'))![1]!))
    expect(await inspect.get(`${runPrefix(runIds)}t:{${tweetId}}`)).toMatch(/^0\|/)
  })

  it('does not answer a fill that read Postgres before a change committed, even when it lands after the change', async () => {
    await ready()
    const tweetId = id()
    const before = await cache.tweets([tweetId])
    await cache.changed({ tweets: [tweetId] })
    await before.fill(new Map([[tweetId, record(tweetId, 0)]]))
    const after = await cache.tweets([tweetId])
    expect(after.missing).toEqual([tweetId])
    await after.fill(new Map([[tweetId, record(tweetId, 1)]]))
    expect((await cache.tweets([tweetId])).found.get(tweetId)?.like_count).toBe(1)
  })

  it('moves a whole list and a reader\'s states with one change each', async () => {
    await ready()
    const [author, reader, tweetId] = [id(), id(), id()]
    const page = await cache.page({ author }, { limit: 21 })
    await page.fill([tweetId])
    expect((await cache.page({ author }, { limit: 21 })).ids).toEqual([tweetId])
    await (await cache.viewer(reader, [tweetId])).fill(new Map([[tweetId, { liked: true, retweeted: false }]]))
    expect((await cache.viewer(reader, [tweetId])).found.get(tweetId)).toEqual({ liked: true, retweeted: false })

    await cache.changed({ lists: [{ author }], viewers: [reader] })
    expect((await cache.page({ author }, { limit: 21 })).ids).toBeUndefined()
    expect((await cache.viewer(reader, [tweetId])).missing).toEqual([tweetId])
  })
})
