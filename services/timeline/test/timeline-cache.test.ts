import { connectRedis } from '@starling/shared/db'
import { afterAll, describe, expect, it } from 'vitest'
import type { TweetRecord } from '../src/timelines/projection.repository.ts'
import { createTimelineCache } from '../src/timelines/timeline.cache.ts'
import { testEnv } from '../../../test/setup/env.ts'

const redis = connectRedis(testEnv.redisUrl)
afterAll(() => redis.disconnect())
const cache = createTimelineCache(redis, { seconds: 3600, viewerLoad: 100 })
// Ids and a generation no stack user has, so the test's writes touch nobody's reads.
let sequence = 0
const id = () => `9${String(Date.now())}${String(sequence++).padStart(4, '0')}`
const generation = `test-${Date.now()}`
const tweet = (tweetId: string, likes = 0): TweetRecord => ({
  id: tweetId, text: 'cached', created_at: '2026-12-02T00:00:00.000Z', author_id: '1', conversation_id: tweetId,
  reply_to_id: null, quote_of_id: null, mentions: [], hashtags: ['x'], media: [], like_count: likes, retweet_count: 0, reply_count: 0,
})
const read = (reader: string, tweetIds: string[], userIds: string[] = []) => cache.read(generation, reader, tweetIds, userIds)

describe('the timeline cache in Redis', () => {
  it('answers a filled tweet whole, and a deleted one as deleted even when a fill that read Postgres earlier lands after', async () => {
    const [kept, gone] = [id(), id()]
    await cache.fillTweets(generation, [tweet(kept, 3), tweet(gone)])
    expect((await read(id(), [kept])).tweets.get(kept)).toEqual(tweet(kept, 3))

    await cache.tweetDeleted(generation, gone)
    await cache.fillTweets(generation, [tweet(gone)])
    expect((await read(id(), [gone])).tweets.get(gone)).toBeNull()
  })

  it('keeps the count the worker wrote over the one a slower fill read before it', async () => {
    const tweetId = id()
    await cache.setCount(generation, tweetId, 'like_count', 7)
    await cache.fillTweets(generation, [tweet(tweetId, 6)])
    expect((await read(id(), [tweetId])).tweets.get(tweetId)?.like_count).toBe(7)
  })

  it('keeps the newer of two names, whichever arrives last', async () => {
    const userId = id()
    await cache.putUsers(generation, [{ id: userId, username: 'new', display_name: 'New', avatar_url: '/new.webp', version: 2000 }])
    await cache.putUsers(generation, [{ id: userId, username: 'old', display_name: 'Old', avatar_url: null, version: 1000 }])
    expect((await read(id(), [], [userId])).users.get(userId)).toEqual({ id: userId, username: 'new', display_name: 'New', avatar_url: '/new.webp', version: 2000 })
  })

  it('refuses a reader\'s likes loaded before a like of theirs was applied, and follows likes once cached', async () => {
    const [reader, liked, later] = [id(), id(), id()]
    const before = await read(reader, [liked])
    expect(before.viewerMiss).toBeDefined()
    // A like committed and applied between the lookup and the fill: the fill's load missed it.
    await cache.viewerChanged(generation, reader, 'liked', liked, true)
    await cache.fillViewer(generation, reader, before.viewerMiss!, { liked: [], retweeted: [], floor: '0' })
    expect((await read(reader, [liked])).viewerMiss).toBeDefined()

    const lookup = await read(reader, [liked])
    await cache.fillViewer(generation, reader, lookup.viewerMiss!, { liked: [liked], retweeted: [], floor: '0' })
    await cache.viewerChanged(generation, reader, 'retweeted', later, true)
    await cache.viewerChanged(generation, reader, 'liked', liked, false)
    const hit = await read(reader, [liked, later])
    expect(hit.viewerMiss).toBeUndefined()
    expect(Object.fromEntries(hit.viewer)).toEqual({ [liked]: { liked: false, retweeted: false }, [later]: { liked: false, retweeted: true } })
  })

  it('answers the reader\'s state only from the oldest tweet its sets were loaded for', async () => {
    const [reader, old, recent] = [id(), id(), id()]
    const lookup = await read(reader, [])
    await cache.fillViewer(generation, reader, lookup.viewerMiss!, { liked: [recent], retweeted: [], floor: recent })
    expect([...(await read(reader, [old, recent])).viewer.keys()]).toEqual([recent])
  })

  it('reads nothing a generation wrote once the generation moved (Redis back from a crash)', async () => {
    const tweetId = id()
    await cache.fillTweets(generation, [tweet(tweetId)])
    expect((await cache.read(`${generation}-next`, id(), [tweetId], [])).tweets.has(tweetId)).toBe(false)
  })
})
