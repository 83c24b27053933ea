import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { kafka } from '../../scripts/stack/components/kafka.ts'
import { newAccount } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'
import { type Running, stackServicePids, startServiceInstance } from '../setup/processes.ts'
import { groupMembers, untilEveryGroupConsuming } from '../setup/kafka.ts'
import { follow, post, timelineIds, untilTimeline } from '../setup/social.ts'

// Stops the stack's Kafka broker (a local process; see scripts/stack), so this runs on the local stack.
describe('Kafka outage', () => {
  it('keeps accepting tweets and likes, and delivers every event once Kafka is back', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, author)
    const warmup = await post(author, 'before the outage')
    await untilTimeline(reader, (ids) => ids.includes(warmup.id), 'the warm-up tweet')

    const before = stackServicePids()
    const fanoutMembers = await groupMembers('timeline-fanout')
    let late: Running | undefined
    await kafka.stop()
    try {
      const during = [await post(author, 'during 1'), await post(author, 'during 2'), await post(author, 'during 3')]
      // A worker started while Kafka is away (a pod rescheduled during the outage) comes up and
      // waits for it, rather than ending when its consumers cannot connect.
      late = await startServiceInstance('timeline', {}, 'worker')
      expect((await gateway(`/tweets/${during[0]!.id}/like`, { method: 'POST', token: reader.token })).status).toBe(200)
      // Readiness says so without taking anyone out of service; the gateway's health names it.
      const health = await waitFor(async () => {
        const response = await gateway('/health')
        return response.body.degraded?.tweet?.includes('kafka') ? response : undefined
      }, { what: 'the gateway to report Kafka down', timeoutMs: 15_000 })
      expect(health.status).toBe(503)
      expect(health.body).toMatchObject({ status: 'degraded', not_ready: [] })
      for (const service of ['user', 'tweet', 'follower', 'timeline', 'search', 'notification', 'dm', 'media']) expect(health.body.degraded[service]).toContain('kafka')
      const tweet = await (await fetch(`${testEnv.serviceUrl('tweet')}/readyz`)).json() as { status: string; checks: Record<string, { status: string; details?: { pending: number } }> }
      expect(tweet.status).toBe('degraded')
      expect(tweet.checks.outbox!.details!.pending).toBeGreaterThan(0)
      await kafka.start()
      await kafka.ready()
      await untilTimeline(reader, (ids) => during.every((t) => ids.includes(t.id)), 'the tweets posted during the outage', 90_000)
      await waitFor(async () => {
        const page = await gateway(`/timelines/${reader.id}`, { token: reader.token })
        return page.body.items.find((i: { id: string }) => i.id === during[0]!.id)?.like_count === 1
      }, { timeoutMs: 60_000, what: 'the like made during the outage' })
      await waitFor(async () => (await gateway('/health')).status === 200, { what: 'the gateway healthy again', timeoutMs: 30_000 })
      // Every consumer came back, not just the ones this test reads the results of.
      await untilEveryGroupConsuming()
      await waitFor(async () => (await groupMembers('timeline-fanout')) === fanoutMembers + 1, { what: 'the worker started during the outage in its group', timeoutMs: 30_000 })
      expect(late.process.exitCode).toBeNull()
      expect(stackServicePids()).toEqual(before)
    } finally {
      await late?.stop()
      await kafka.start()
      await kafka.ready()
    }
  })
})
