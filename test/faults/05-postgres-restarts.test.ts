import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { postgres } from '../../scripts/stack/components/postgres.ts'
import type { Account } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { everyRelayListening } from '../setup/outbox.ts'
import {
  compare, converge, likeSurely, messageSurely, paced, postSurely, record, refusals, refusalsSince, repeatedly, ring, runMark, servicePids, storedMessages,
  storedTweets, sum, timelineIds, untilHealthy,
} from './workload.ts'

// PostgreSQL stopped (fast shutdown) for 8 s, three times, while tweets, likes and messages keep
// coming. Writes are refused with 503 and Retry-After meanwhile, and retried (same Idempotency-Key)
// until acknowledged; every service and outbox relay recovers by itself, nothing half-written.
describe('PostgreSQL restarted three times under write load', () => {
  it('refuses with 503 meanwhile, recovers by itself, and keeps every acknowledged write exactly once', async () => {
    const mark = runMark()
    const { people } = await ring(8, 'pg')
    const liked = await Promise.all(people.map((p, i) => postSurely(p, `${mark} liked ${i}`).then((r) => r.response.body.id as string)))
    const likes: [Account, string][] = people.flatMap((p, i) => liked.filter((_, j) => j !== i).map((id) => [p, id] as [Account, string]))
    const pids = servicePids()
    const firstRefusal = refusals.length

    const restarts = repeatedly(25_000, async () => {
      await postgres.stop()
      await sleep(8000)
      await postgres.start()
      await postgres.ready()
    })
    const [tweets, , messages] = await Promise.all([
      paced(400, 5, (i) => postSurely(people[i % people.length]!, `${mark} t${i}`).then((r) => ({ id: r.response.body.id as string, author: people[i % people.length]!, text: `${mark} t${i}` }))),
      paced(likes.length, 0.7, (i) => likeSurely(...likes[i]!)),
      paced(80, 1, (i) => messageSurely(people[i % people.length]!, people[(i + 4) % people.length]!, `${mark} m${i}`).then((r) => r.response.body)),
    ])
    const faults = await restarts.stop()
    const lastFault = Date.now()
    await untilHealthy()

    const result = await converge(async () => {
      const timelines = await Promise.all(people.map(async (p, i) => {
        const authors = new Set([p.id, people[(i + 1) % people.length]!.id])
        return compare(tweets.filter((t) => authors.has(t.author.id)).map((t) => t.id), (await timelineIds(p)).filter((id) => tweets.some((t) => t.id === id)))
      }))
      // Each earlier tweet is liked once by each of the seven others: its count says whether a like was lost or counted twice.
      const counts = await Promise.all(liked.map(async (id) => ((await gateway(`/tweets/${id}`)).body.like_count as number) - (people.length - 1)))
      const likesCounted = { missing: counts.filter((d) => d < 0).reduce((a, d) => a - d, 0), duplicated: counts.filter((d) => d > 0).reduce((a, d) => a + d, 0) }
      return sum([...timelines, await storedTweets(people, mark, tweets), likesCounted, await storedMessages(people, messages)])
    }, lastFault)
    const refused = refusals.slice(firstRefusal)
    record({
      case: 'PostgreSQL restarted 3 times (8 s down each)', operations: tweets.length + likes.length + messages.length, faults, missing: result.missing, duplicated: result.duplicated,
      convergeSeconds: result.convergeSeconds, notes: `refusals ${JSON.stringify(refusalsSince(firstRefusal))}, all with Retry-After: ${refused.every((r) => r.retryAfter !== null)}; service restarts: 0`,
    })
    expect(refused.filter((r) => r.status !== 503 || r.retryAfter === null || !r.problem)).toEqual([])
    expect(refused.length).toBeGreaterThan(0)
    expect(servicePids()).toEqual(pids)
    await waitFor(everyRelayListening, { what: 'every outbox relay listening again', timeoutMs: 30_000 })
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
  })
})
