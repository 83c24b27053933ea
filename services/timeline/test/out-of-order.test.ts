import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { createEvent, topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { timeline, timelineIds, untilTimeline } from './fixtures/service.ts'

const bus = createKafkaEventBus({ brokers: testEnv.kafkaBrokers, clientId: 'out-of-order-test', logger: pino({ level: 'silent' }) })
afterAll(() => bus.close())

describe('events that arrive before what they refer to', () => {
  it('keep the fanout moving when likes come for tweets the timeline has not seen', async () => {
    // Likes for tweets nobody has seen, on (almost) every engagement partition: a consumer that
    // waited for those tweets would stop handling the tweets topic altogether.
    const now = new Date().toISOString()
    const orphans = Array.from({ length: 24 }, (_, i) => createEvent('like.created', 1, `9${Date.now()}${i}`, {
      tweet_id: `9${Date.now()}${i}`, user_id: '1', tweet_author_id: '2', like_count: 1, at: now,
    }))
    for (const like of orphans) await bus.publish(topics.engagements.name, [like])

    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, author)
    const tweet = await post(author, 'still flowing')
    await untilTimeline(reader, (ids) => ids.includes(tweet.id), 'a tweet posted after the orphan likes')
  })

  it('counts a like made the moment a tweet was posted', async () => {
    const [reader, author, fan] = await Promise.all([newAccount('reader'), newAccount('author'), newAccount('fan')])
    await timelineIds(reader)
    await follow(reader, author)
    const tweet = await post(author, 'liked at once')
    expect((await gateway(`/tweets/${tweet.id}/like`, { method: 'POST', token: fan.token })).status).toBe(200)
    await waitFor(async () => (await timeline(reader)).body.items.find((i: { id: string }) => i.id === tweet.id)?.like_count === 1,
      { timeoutMs: 20_000, what: 'the tweet with like_count 1' })
  })
})
