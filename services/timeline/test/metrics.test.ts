import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { services } from '../../../scripts/stack/components/services.ts'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { timelineIds, timelineService, untilTimeline } from './fixtures/service.ts'

// The fanout runs in the stack's timeline worker, which serves its metrics on its own port.
const workerUrl = Object.assign(new URL(testEnv.serviceUrl('timeline')), { port: String(services.find((s) => s.name === 'timeline')!.workerPort) }).origin
const exposition = async (source: 'worker' | 'api') =>
  source === 'worker' ? (await fetch(`${workerUrl}/metrics`)).text() : String((await timelineService.request('/metrics')).body)

async function metric(name: string, source: 'worker' | 'api' = 'worker') {
  const line = (await exposition(source)).split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
  return line ? Number(line.split(' ').at(-1)) : 0
}

describe('timeline metrics', () => {
  it('count fanout writes and lag, and expose consumer lag per topic', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, author)
    const [entriesBefore, lagBefore] = [await metric('timeline_fanout_entries_total'), await metric('timeline_fanout_lag_seconds_count')]
    const tweet = await post(author, 'measured')
    await untilTimeline(reader, (ids) => ids.includes(tweet.id), 'the tweet')
    // Written to the reader and to the author's own timeline if active; at least the reader's.
    await waitFor(async () => (await metric('timeline_fanout_entries_total')) >= entriesBefore + 1, { what: 'the fanout counter' })
    expect(await metric('timeline_fanout_lag_seconds_count')).toBeGreaterThan(lagBefore)
    expect(await exposition('worker')).toMatch(/kafka_consumer_lag_messages\{group="timeline-fanout",topic="starling\.tweets\.v1",partition="\d+"\} \d+/)
    // Reads are counted where they are served.
    expect(await exposition('api')).toContain('timeline_pull_merges_total')
  })
})
