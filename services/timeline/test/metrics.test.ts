import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { follow, post, timelineIds, untilTimeline } from '../../../test/setup/social.ts'

async function metric(name: string) {
  const text = await (await fetch(`${testEnv.serviceUrl('timeline')}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
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
    const text = await (await fetch(`${testEnv.serviceUrl('timeline')}/metrics`)).text()
    expect(text).toMatch(/kafka_consumer_lag_messages\{group="timeline-fanout",topic="starling\.tweets\.v1",partition="\d+"\} \d+/)
    expect(text).toContain('timeline_pull_merges_total')
  })
})
