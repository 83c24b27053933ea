import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { instancesOf, services } from '../../../scripts/stack/components/services.ts'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { timelineIds, timelineService, untilTimeline } from './fixtures/service.ts'

// The fanout runs in the stack's timeline workers (two on the cluster topology, sharing the
// partitions), each serving its metrics on its own port: a counter is their sum.
const workerUrls = instancesOf(services.find((s) => s.name === 'timeline')!, ['worker'])
  .map((worker) => Object.assign(new URL(testEnv.serviceUrl('timeline')), { port: String(worker.port) }).origin)
const workerExpositions = () => Promise.all(workerUrls.map(async (url) => (await fetch(`${url}/metrics`)).text()))
const exposition = async (source: 'worker' | 'api') =>
  source === 'worker' ? (await workerExpositions()).join('\n') : String((await timelineService.request('/metrics')).body)

async function metric(name: string) {
  const values = (await workerExpositions()).map((text) => text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`)))
  return values.reduce((sum, line) => sum + (line ? Number(line.split(' ').at(-1)) : 0), 0)
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
