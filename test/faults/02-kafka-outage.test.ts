import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { kafka } from '../../scripts/stack/components/kafka.ts'
import type { Account } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { untilEveryGroupConsuming } from '../setup/kafka.ts'
import {
  allItems, compare, compareCounts, converge, followSurely, likeSurely, messageSurely, outboxPending, paced, postSurely, record, ring, runMark,
  searchIds, servicePids, storedMessages, sum, timelineIds,
} from './workload.ts'

// Kafka stopped for 60 s while twelve people post, follow, like and write to each other. Every
// write is acknowledged (the outboxes hold the events); once Kafka is back every event reaches
// every consumer: timelines, search, notifications and inboxes are complete, the outboxes empty.
const OUTAGE_MS = 60_000

describe('Kafka stopped for 60 s', () => {
  it('acknowledges every write and delivers every event once it is back', async () => {
    const mark = runMark()
    const { people, follows } = await ring(12, 'k')
    const before = await paced(24, 20, (i) => postSurely(people[i % people.length]!, `${mark} before ${i}`).then((r) => ({ id: r.response.body.id as string, author: people[i % people.length]! })))

    const pids = servicePids()
    await kafka.stop()
    const outageStarted = Date.now()
    const attempts: number[] = []
    const counted = <T extends { attempts: number }>(r: T) => { attempts.push(r.attempts); return r }
    // During the outage: new follows (each person, two ahead), tweets, likes of the earlier tweets, messages.
    const newFollows: [Account, Account][] = people.map((p, i) => [p, people[(i + 2) % people.length]!])
    const likes: [Account, { id: string; author: Account }][] = people.flatMap((p, i) => before.filter((_, j) => j % 3 === i % 3 && before[j]!.author.id !== p.id).slice(0, 6).map((t) => [p, t] as [Account, { id: string; author: Account }]))
    const pairs: [Account, Account][] = people.map((p, i) => [p, people[(i + 5) % people.length]!])
    const [, during, , messages] = await Promise.all([
      paced(newFollows.length, 2, (i) => followSurely(...newFollows[i]!).then(counted)),
      paced(240, 5, (i) => postSurely(people[i % people.length]!, `${mark} during t${i}`).then(counted).then((r) => ({ id: r.response.body.id as string, author: people[i % people.length]!, n: i }))),
      paced(likes.length, 2, (i) => likeSurely(likes[i]![0], likes[i]![1].id).then(counted)),
      paced(60, 1.2, (i) => messageSurely(...pairs[i % pairs.length]!, `${mark} psst ${i}`).then(counted).then((r) => ({ message: r.response.body, pair: pairs[i % pairs.length]! }))),
    ])
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)))
    await kafka.start()
    await kafka.ready()
    const back = Date.now()

    const tweets = [...before, ...during]
    const graph = [...follows, ...newFollows]
    const result = await converge(async () => {
      const pending = Object.values(await outboxPending()).reduce((a, b) => a + b, 0)
      const timelines = await Promise.all(people.map(async (p) => {
        const authors = new Set([p.id, ...graph.filter(([who]) => who.id === p.id).map(([, whom]) => whom.id)])
        return compare(tweets.filter((t) => authors.has(t.author.id)).map((t) => t.id), await timelineIds(p))
      }))
      const found = await searchIds(`${mark} during`)
      const search = compare(during.map((t) => t.id), found)
      const notifications = await Promise.all(people.map(async (p) => {
        const expected = [
          ...graph.filter(([, whom]) => whom.id === p.id).map(([who]) => `follow:${who.id}`),
          ...likes.filter(([, t]) => t.author.id === p.id).map(([who, t]) => `like:${who.id}:${t.id}`),
          ...messages.filter((m) => m.pair[1].id === p.id).map((m) => `message:${m.pair[0].id}:${m.message.conversation_id}`),
        ]
        const inbox = await allItems(`/notifications/${p.id}`, p.token) as unknown as { type: string; actor: { id: string }; tweet_id?: string; conversation_id?: string }[]
        return compareCounts(expected, inbox.map((n) => [n.type, n.actor.id, n.tweet_id ?? n.conversation_id].filter(Boolean).join(':')))
      }))
      const total = sum([...timelines, search, ...notifications, await storedMessages(people, messages.map((m) => m.message))])
      return { ...total, missing: total.missing + pending }
    }, back)
    const operations = attempts.length
    record({
      case: 'Kafka stopped 60 s', operations, faults: 1, missing: result.missing, duplicated: result.duplicated, convergeSeconds: result.convergeSeconds,
      notes: `writes during the outage: ${during.length} tweets, ${newFollows.length} follows, ${likes.length} likes, ${messages.length} messages; acknowledged at the first attempt: ${attempts.filter((a) => a === 1).length}/${operations}`,
    })
    expect(attempts.every((a) => a === 1)).toBe(true)
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
    expect((await gateway('/health')).status).toBe(200)
    await untilEveryGroupConsuming()
    expect(servicePids()).toEqual(pids)
  })
})
