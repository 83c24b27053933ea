import { connectRedis } from '@starling/shared/db'
import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { follow, post, timeline, timelineIds, untilTimeline } from '../setup/social.ts'
import { timelineKeys } from '../../services/timeline/src/timelines/timeline.store.ts'

const redis = connectRedis(testEnv.redisUrl)
afterAll(() => redis.disconnect())

describe('Redis loses everything', () => {
  it('serves the same timelines on the next read, pushed and merged entries alike, and keeps up afterwards', async () => {
    const [reader, friend, celebrity] = await Promise.all([newAccount('reader'), newAccount('friend'), newAccount('celeb')])
    // Five followers (the test threshold) make `celebrity` a pulled author.
    const fans = await Promise.all(Array.from({ length: 4 }, () => newAccount('fan')))
    await timelineIds(reader)
    await Promise.all([reader, ...fans].map((fan) => follow(fan, celebrity)))
    await follow(reader, friend)
    const posted = [await post(friend, 'pushed'), await post(celebrity, 'pulled'), await post(friend, 'pushed again')]
    await untilTimeline(reader, (ids) => ids.length === 3, 'three entries')
    const before = (await timeline(reader)).body.items

    await redis.flushall()

    expect((await timeline(reader)).body.items).toEqual(before)
    const after = await post(friend, 'after the flush')
    await untilTimeline(reader, (ids) => ids[0] === after.id, 'a tweet posted after the flush')
    expect(await timelineIds(reader)).toEqual([after.id, ...posted.map((t) => t.id).reverse()])
    await waitFor(async () => (await redis.exists(timelineKeys.home(reader.id))) === 1, { what: 'the home set back in Redis' })
  })
})
