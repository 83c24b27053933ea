import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { createTimelineStore, timelineKeys } from '../src/timelines/timeline.store.ts'
import { connectRedis } from '@starling/shared/db'
import { timelineIds, untilTimeline } from './fixtures/service.ts'

// A Redis that comes back from a crash (or a replica promoted in its place) may lack its last
// writes while the keys that say "this timeline is whole" survived. Here a write is taken away by
// hand, and the run Redis was last known whole in is made another one's.
const redis = connectRedis(testEnv.redisUrl)
afterAll(() => redis.disconnect())
const store = createTimelineStore(redis, { maxEntries: 800, activeSeconds: 3600, batch: 500 })

describe('Redis back without its last writes', () => {
  it('rebuilds a home timeline on its next read once a restart is noticed', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, author)
    const [first, second] = [await post(author, 'kept'), await post(author, 'lost in the crash')]
    await untilTimeline(reader, (ids) => ids.length === 2, 'both tweets pushed')
    const members = await redis.zrange(timelineKeys.home(reader.id), '0', '-1')
    await redis.zrem(timelineKeys.home(reader.id), members.find((m) => m.includes(`:${second.id}:`))!)
    expect(await timelineIds(reader)).toEqual([first.id])

    await redis.set(timelineKeys.redisRun, 'a-run-before-the-crash')
    expect(await store.noticeRestart()).toBe(true)
    expect(await store.noticeRestart()).toBe(false)
    await waitFor(async () => (await timelineIds(reader)).length === 2, { what: 'the timeline rebuilt from the projection' })
    expect(await timelineIds(reader)).toEqual([second.id, first.id])
  })
})
