import { connectRedis } from '@starling/shared/db'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { allPages, timelineIds, untilTimeline } from './fixtures/service.ts'
import { timelineKeys } from '../src/timelines/timeline.store.ts'

// npm test runs the stack with TIMELINE_CELEBRITY_THRESHOLD=5, so five followers make a celebrity.
const THRESHOLD = 5
const redis = connectRedis(testEnv.redisUrl)
const db = new pg.Pool({ connectionString: testEnv.databaseUrl('starling_timeline'), max: 2 })
afterAll(async () => {
  redis.disconnect()
  await db.end()
})

const homeMembers = (user: Account) => redis.zrange(timelineKeys.home(user.id), '0', '-1')
const authorMembers = (user: Account) => redis.zrange(timelineKeys.author(user.id), '0', '-1')

async function celebrityWithFans(fanCount: number) {
  const celebrity = await newAccount('celeb')
  const fans = await Promise.all(Array.from({ length: fanCount }, () => newAccount('fan')))
  await Promise.all(fans.map((fan) => timelineIds(fan)))
  await Promise.all(fans.map((fan) => follow(fan, celebrity)))
  // The timeline service has seen every follow once its own count says so.
  await waitFor(async () => (await db.query('SELECT n FROM follower_counts WHERE user_id = $1', [celebrity.id])).rows[0]?.n === fanCount,
    { timeoutMs: 20_000, what: `${fanCount} followers projected` })
  return { celebrity, fans }
}

describe('hybrid fanout', () => {
  it('reaches a high-follower author\'s followers with no writes to their home timelines', async () => {
    const { celebrity, fans } = await celebrityWithFans(THRESHOLD)
    const tweet = await post(celebrity, 'to the many')
    await waitFor(async () => (await authorMembers(celebrity)).some((m) => m.includes(`:${tweet.id}:`)), { what: 'the tweet in the author set' })
    for (const fan of fans) {
      await untilTimeline(fan, (ids) => ids[0] === tweet.id, 'the merged tweet')
      expect((await homeMembers(fan)).some((m) => m.includes(`:${tweet.id}:`))).toBe(false)
    }
  })

  it('stops merging a high-follower author at once when the reader unfollows, blocks or mutes them', async () => {
    // Enough fans that losing two (the unfollow, and the block, which ends the follow too) keeps the
    // author above the threshold: no epoch change refreshes the fans' cached graphs for them.
    const { celebrity, fans } = await celebrityWithFans(THRESHOLD + 3)
    const tweet = await post(celebrity, 'merged at read time')
    for (const fan of fans.slice(0, 3)) await untilTimeline(fan, (ids) => ids.includes(tweet.id), 'the merged tweet')
    // Each of these reads was served from the fan's cached graph; the change must reach it.
    const [unfollower, blocker, muter] = fans
    expect((await gateway('/unfollow/', { token: unfollower!.token, body: { user_id: celebrity.id } })).status).toBe(200)
    expect((await gateway('/block/', { token: blocker!.token, body: { user_id: celebrity.id } })).status).toBe(200)
    expect((await gateway('/mute/', { token: muter!.token, body: { user_id: celebrity.id } })).status).toBe(200)
    for (const fan of [unfollower!, blocker!, muter!]) await untilTimeline(fan, (ids) => !ids.includes(tweet.id), 'the tweet gone')
  })

  it('merges a high-follower author as deep as a pushed timeline goes (past the old 200 entries)', async () => {
    const { celebrity, fans } = await celebrityWithFans(THRESHOLD)
    const posted: string[] = []
    for (let batch = 0; batch < 21; batch++) {
      posted.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => post(celebrity, `deep ${batch * 10 + i}`)))).map((t) => t.id))
    }
    await waitFor(async () => (await authorMembers(celebrity)).length >= posted.length, { what: 'every tweet in the author set', timeoutMs: 30_000 })
    const seen = (await allPages(fans[0]!, 100)).flat()
    expect(seen.length).toBe(posted.length)
    expect(seen.toSorted()).toEqual(posted.toSorted())
  }, 60_000)

  it('pushes an ordinary author\'s tweet into each active follower\'s home set', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    await timelineIds(fan)
    await follow(fan, author)
    const tweet = await post(author, 'to the few')
    await waitFor(async () => (await homeMembers(fan)).some((m) => m.includes(`:${tweet.id}:`)), { what: 'the pushed entry' })
  })

  it('pages across pushed and merged entries in one order, without duplicates or gaps', async () => {
    const { celebrity, fans } = await celebrityWithFans(THRESHOLD)
    const reader = fans[0]!
    const friend = await newAccount('friend')
    await follow(reader, friend)
    const posted: string[] = []
    for (let i = 0; i < 5; i++) {
      posted.push((await post(i % 2 === 0 ? celebrity : friend, `interleaved ${i}`)).id)
      posted.push((await post(i % 2 === 0 ? friend : celebrity, `interleaved ${i}b`)).id)
    }
    await untilTimeline(reader, (ids) => posted.every((id) => ids.includes(id)), 'all ten tweets')
    for (const limit of [1, 3, 4]) {
      const pages = await allPages(reader, limit)
      expect(pages.flat()).toEqual([...posted].reverse())
    }
  })

  it('skips fanout to inactive readers and rebuilds their timeline on the next read', async () => {
    const [author, sleeper] = await Promise.all([newAccount('author'), newAccount('sleeper')])
    await follow(sleeper, author)
    // Never read: inactive. (After TIMELINE_ACTIVE_DAYS without reading, the key expires the same way.)
    expect(await redis.exists(timelineKeys.active(sleeper.id))).toBe(0)
    const tweets = [await post(author, 'while you slept 1'), await post(author, 'while you slept 2')]
    await waitFor(async () => (await authorMembers(author)).length === 2, { what: 'both tweets processed' })
    expect(await homeMembers(sleeper)).toEqual([])
    expect(await timelineIds(sleeper)).toEqual(tweets.map((t) => t.id).reverse())
    expect(await redis.exists(timelineKeys.active(sleeper.id))).toBe(1)
  })

  it('rebuilds a reader whose activity lapsed, dropping what they no longer follow', async () => {
    const [a, b, reader] = await Promise.all([newAccount('a'), newAccount('b'), newAccount('reader')])
    await timelineIds(reader)
    await follow(reader, a)
    await follow(reader, b)
    const [ta, tb] = [await post(a, 'from a'), await post(b, 'from b')]
    await untilTimeline(reader, (ids) => ids.length === 2, 'both tweets')
    await redis.del(timelineKeys.active(reader.id))
    const tc = await post(a, 'while inactive')
    await waitFor(async () => (await authorMembers(a)).some((m) => m.includes(`:${tc.id}:`)), { what: 'the third tweet processed' })
    expect((await homeMembers(reader)).some((m) => m.includes(`:${tc.id}:`))).toBe(false)
    expect(await timelineIds(reader)).toEqual([tc.id, tb.id, ta.id])
  })
})
