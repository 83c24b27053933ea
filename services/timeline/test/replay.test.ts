import { connectRedis } from '@starling/shared/db'
import { afterAll, describe, expect, it } from 'vitest'
import { topics } from '@starling/shared/events'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { allPublished, groupCaughtUp, redeliver, topicHistory } from '../../../test/setup/kafka.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { timeline, timelineIds, untilTimeline } from './fixtures/service.ts'
import { timelineKeys } from '../src/timelines/timeline.store.ts'

const redis = connectRedis(testEnv.redisUrl)
afterAll(() => redis.disconnect())
const TOPICS = [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name]
const timelineCaughtUp = async () => {
  await allPublished()
  await groupCaughtUp('timeline-fanout', TOPICS)
}

describe('redelivery and replay', () => {
  it('leaves timelines and counts exactly as they were when every event of a world is delivered again', async () => {
    const [reader, a, b] = await Promise.all([newAccount('reader'), newAccount('a'), newAccount('b')])
    await timelineIds(reader)
    await follow(reader, a)
    await follow(reader, b)
    const t1 = await post(a, 'one')
    const t2 = await post(a, 'two')
    await post(b, 'a reply', { reply_to_id: t1.id })
    await gateway(`/tweets/${t2.id}/retweet`, { method: 'POST', token: b.token })
    await gateway(`/tweets/${t1.id}/like`, { method: 'POST', token: b.token })
    await untilTimeline(reader, (ids) => ids.length === 4, 'four entries')
    await timelineCaughtUp()
    const before = (await timeline(reader)).body.items
    const membersBefore = await redis.zrange(timelineKeys.home(reader.id), '0', '-1')
    expect(before.find((i: { id: string }) => i.id === t1.id)).toMatchObject({ reply_count: 1, like_count: 1 })

    const ids = [reader.id, a.id, b.id]
    const history = await topicHistory(TOPICS, (event) => ids.some((id) => JSON.stringify(event.payload).includes(`"${id}"`)))
    expect(history.length).toBeGreaterThanOrEqual(10)
    await redeliver(history)
    await timelineCaughtUp()

    expect((await timeline(reader)).body.items).toEqual(before)
    expect(await redis.zrange(timelineKeys.home(reader.id), '0', '-1')).toEqual(membersBefore)
  })
})
