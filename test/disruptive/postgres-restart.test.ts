import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { postgres } from '../../scripts/stack/components/postgres.ts'
import { newAccount } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { stackServicePids } from '../setup/processes.ts'
import { everyRelayListening } from '../setup/outbox.ts'
import { follow, post, timelineIds, untilTimeline } from '../setup/social.ts'

// Restarts the stack's PostgreSQL (a local process; see scripts/stack) under a stream of posts.
describe('PostgreSQL restart', () => {
  it('answers 503 with Retry-After while it is away, and every service and outbox relay recovers by itself', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, author)
    const before = stackServicePids()
    expect(Object.values(before).every(Boolean)).toBe(true)

    const acknowledged: string[] = []
    const refused: { status: number; type: string | null; retryAfter: string | null }[] = []
    let writing = true
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const response = await gateway('/tweets/', { token: author.token, body: { text: `steady ${n}` } })
        if (response.status === 201) acknowledged.push(response.body.id)
        else refused.push({ status: response.status, type: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after') })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()

    await waitFor(async () => acknowledged.length >= 5, { what: 'posts before the restart' })
    await postgres.stop()
    await waitFor(async () => refused.length >= 5, { what: 'refused posts while PostgreSQL is away' })
    await postgres.start()
    await postgres.ready()
    const countAtRestart = acknowledged.length
    await waitFor(async () => acknowledged.length >= countAtRestart + 5, { what: 'posts accepted again', timeoutMs: 30_000 })
    writing = false
    await writer

    // Refusals are the service's own 503 (not a 500, not nginx's 502 for a dead process).
    for (const refusal of refused) {
      expect(refusal.status).toBe(503)
      expect(refusal.type).toMatch(/^application\/problem\+json/)
      expect(Number(refusal.retryAfter)).toBeGreaterThan(0)
    }
    expect(stackServicePids()).toEqual(before)
    await waitFor(async () => (await gateway('/health')).status === 200, { what: 'the gateway health', timeoutMs: 30_000 })
    await waitFor(everyRelayListening, { what: 'every outbox relay listening again', timeoutMs: 30_000 })

    // Every acknowledged tweet is stored once and reaches the follower.
    const stored: string[] = []
    let cursor: string | null = null
    do {
      const page = await gateway(`/users/${author.id}/tweets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      stored.push(...page.body.items.map((t: { id: string }) => t.id))
      cursor = page.body.next_cursor
    } while (cursor)
    expect(stored.toSorted()).toEqual(acknowledged.toSorted())
    const last = await post(author, 'after the restart')
    await untilTimeline(reader, (ids) => ids[0] === last.id && acknowledged.slice(-5).every((id) => ids.includes(id)), 'posts after the restart', 30_000)
  })
})
