import { setTimeout as sleep } from 'node:timers/promises'
import type { Toxic } from 'toxiproxy-node-client'
import { afterAll, describe, expect, it } from 'vitest'
import { toxiproxyClient, type ProxiedServer } from '../../scripts/stack/components/toxiproxy.ts'
import {
  compare, converge, messageSurely, outboxPending, paced, postSurely, record, refusals, refusalsSince, ring, runMark, searchIds, storedMessages, storedTweets,
  sum, timelineIds, untilHealthy,
} from './workload.ts'

// The network between the services and their servers goes bad, one way after another, through
// toxiproxy: PostgreSQL slow (latency), Redis connections reset, Kafka blackholed (bytes go in,
// nothing comes back), PostgreSQL blackholed. People keep posting and writing meanwhile; once
// the network is well again everything acknowledged is where it belongs, exactly once.
const client = toxiproxyClient()
afterAll(() => client.reset())

async function toxic<T>(server: ProxiedServer, type: string, attributes: T, ms: number) {
  const proxy = await client.get(server)
  const added: Toxic<unknown>[] = []
  for (const stream of ['downstream', 'upstream'] as const) {
    added.push(await proxy.addToxic({ name: `${type}-${stream}`, type: type as never, stream, toxicity: 1, attributes }))
  }
  await sleep(ms)
  for (const t of added) await t.remove()
}

describe('latency, resets and blackholes between the services and their servers', () => {
  it('keeps every acknowledged write, exactly once, and delivers it once the network is well', async () => {
    const mark = runMark()
    const { people } = await ring(8, 'nt')
    const firstRefusal = refusals.length

    const plan = [
      ['PostgreSQL +200 ms ± 100 ms', () => toxic('postgres', 'latency', { latency: 200, jitter: 100 }, 20_000)],
      ['Redis connections reset', () => toxic('redis', 'reset_peer', { timeout: 500 }, 15_000)],
      ['Kafka blackholed', () => toxic('kafka', 'timeout', { timeout: 0 }, 20_000)],
      ['PostgreSQL blackholed', () => toxic('postgres', 'timeout', { timeout: 0 }, 10_000)],
    ] as const
    const faults = (async () => {
      for (const [, inject] of plan) {
        await sleep(5000)
        await inject()
      }
    })()
    const [tweets, messages] = await Promise.all([
      paced(350, 4, (i) => postSurely(people[i % people.length]!, `${mark} t${i}`).then((r) => ({ id: r.response.body.id as string, author: people[i % people.length]! }))),
      paced(80, 1, (i) => messageSurely(people[i % people.length]!, people[(i + 3) % people.length]!, `${mark} m${i}`).then((r) => r.response.body)),
      faults,
    ])
    await faults
    const lastFault = Date.now()
    await untilHealthy(180_000)

    const result = await converge(async () => {
      const pending = Object.values(await outboxPending()).reduce((a, b) => a + b, 0)
      const timelines = await Promise.all(people.map(async (p, i) => {
        const authors = new Set([p.id, people[(i + 1) % people.length]!.id])
        return compare(tweets.filter((t) => authors.has(t.author.id)).map((t) => t.id), (await timelineIds(p)).filter((id) => tweets.some((t) => t.id === id)))
      }))
      const total = sum([...timelines, await storedTweets(people, mark, tweets), compare(tweets.map((t) => t.id), await searchIds(mark)), await storedMessages(people, messages)])
      return { ...total, missing: total.missing + pending }
    }, lastFault)
    record({
      case: 'toxiproxy: latency, resets, blackholes', operations: tweets.length + messages.length, faults: plan.length, missing: result.missing, duplicated: result.duplicated,
      convergeSeconds: result.convergeSeconds, notes: `${plan.map(([what]) => what).join('; ')}; refusals ${JSON.stringify(refusalsSince(firstRefusal))}`,
    })
    expect(refusals.slice(firstRefusal).filter((r) => r.status < 500 && r.status !== 0)).toEqual([])
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
  })
})
