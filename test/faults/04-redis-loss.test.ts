import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { redis } from '../../scripts/stack/components/redis.ts'
import { runningPid } from '../../scripts/stack/process.ts'
import { closeSockets, liveAs } from '../../services/notification/test/fixtures/live.ts'
import type { Account } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import {
  accounts, allItems, compare, compareCounts, converge, followSurely, likeSurely, messageSurely, paced, postSurely, record, runMark, sum, timelineIds,
  untilFollowsProjected,
} from './workload.ts'

// Redis loses everything (FLUSHALL), and later is killed outright and started again, while tweets,
// likes and messages keep coming. Home timelines are right on their next read (rebuilt from the
// timeline service's PostgreSQL projection), a WebSocket resuming from before the loss is told
// missed_events, and nothing kept elsewhere is lost.
afterAll(() => closeSockets())

describe('Redis flushed, then killed and restarted', () => {
  it('serves every home timeline right on its next read, and loses nothing else', async () => {
    const mark = runMark()
    const [plain, celebs, readers, fans] = await Promise.all([accounts(2, 'rp'), accounts(2, 'rc'), accounts(6, 'rr'), accounts(5, 'rf')])
    await Promise.all(readers.map((r) => timelineIds(r)))
    const follows: [Account, Account][] = [
      ...readers.map((r, i) => [r, plain[i % 2]!] as [Account, Account]),
      ...readers.map((r, i) => [r, celebs[i % 2]!] as [Account, Account]),
      ...celebs.flatMap((c) => fans.map((f) => [f, c] as [Account, Account])),
    ]
    await paced(follows.length, 20, (i) => followSurely(...follows[i]!))
    await untilFollowsProjected(follows)
    const listener = readers[0]!
    const socket = await liveAs(listener)
    const authors = [...plain, ...celebs]

    let faults = 0
    let beforeTheLoss: string | undefined
    const flushAndKill = (async () => {
      await sleep(15_000)
      beforeTheLoss = socket.events().at(-1)?.id
      const client = new Redis(testEnv.redisUrl)
      await client.flushall()
      client.disconnect()
      faults++
      await sleep(15_000)
      process.kill(runningPid('redis')!, 'SIGKILL')
      await waitFor(() => runningPid('redis') === undefined, { what: 'Redis gone' })
      await sleep(3000)
      await redis.start()
      await redis.ready()
      faults++
    })()
    const [tweets, , messages] = await Promise.all([
      paced(240, 5, (i) => postSurely(authors[i % authors.length]!, `${mark} t${i}`).then((r) => ({ id: r.response.body.id as string, author: authors[i % authors.length]! }))),
      // The listener's own tweets, liked by the others: notifications, live and in the inbox.
      (async () => {
        const own = await Promise.all(Array.from({ length: 5 }, (_, i) => postSurely(listener, `${mark} mine ${i}`)))
        return paced(25, 0.5, (i) => likeSurely(readers[1 + (i % 5)]!, own[Math.floor(i / 5)]!.response.body.id))
      })(),
      paced(30, 0.5, (i) => messageSurely(readers[1 + (i % 5)]!, listener, `${mark} m${i}`).then((r) => r.response.body)),
    ])
    await flushAndKill
    const lastFault = Date.now()

    const expected = new Map(readers.map((r, i) => [r.id, tweets.filter((t) => t.author.id === plain[i % 2]!.id || t.author.id === celebs[i % 2]!.id).map((t) => t.id)]))
    const posted = new Set(tweets.map((t) => t.id))
    let breakdown = {}
    const result = await converge(async () => {
      // Of each home timeline, the tweets of this workload (the listener's own are there too).
      const timelines = await Promise.all(readers.map(async (r) => compare(expected.get(r.id)!, (await timelineIds(r)).filter((id) => posted.has(id)))))
      const inbox = await allItems(`/notifications/${listener.id}?types=like,message`, listener.token) as unknown as { type: string }[]
      const notifications = compareCounts([...Array(25).fill('like'), ...Array(messages.length).fill('message')], inbox.map((n) => n.type))
      const conversations = [...new Set(messages.map((m) => m.conversation_id as string))]
      const stored = (await Promise.all(conversations.map((c) => allItems(`/messages/${c}`, listener.token)))).flat()
      const dms = compare(messages.map((m) => m.id as string), stored.map((m) => m.id))
      breakdown = { timelines: sum(timelines).missing, notifications: notifications.missing, messages: dms.missing }
      return sum([...timelines, notifications, dms])
    }, lastFault)

    // The socket was cut when Redis went; resuming from an event before the flush, it is told it missed some.
    const resumed = await liveAs(listener, beforeTheLoss ? { lastEventId: beforeTheLoss } : {})
    const ready = resumed.frames.find((f) => f.type === 'ready')!
    record({
      case: 'Redis flushed, then killed and restarted', operations: tweets.length + 25 + messages.length, faults, missing: result.missing, duplicated: result.duplicated,
      convergeSeconds: result.convergeSeconds, notes: `${readers.length} home timelines of 120 tweets; a WebSocket resumed from before the loss: missed_events ${String(ready.missed_events)}${result.missing ? `; missing ${JSON.stringify(breakdown)}` : ''}`,
    })
    expect(socket.isOpen).toBe(false)
    expect(ready.missed_events).toBe(true)
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
  })
})
