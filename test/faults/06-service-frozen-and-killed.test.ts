import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { appServices, services } from '../../scripts/stack/components/services.ts'
import { runningPid } from '../../scripts/stack/process.ts'
import { gateway } from '../setup/http.ts'
import { accounts, converge, messageSurely, paced, postSurely, record, refusals, refusalsSince, runMark, storedMessages, storedTweets, sum, untilHealthy } from './workload.ts'

// The tweet service frozen (SIGSTOP) for 20 s, then the dm service killed (SIGKILL) and started
// again, while people keep posting, writing to each other and reading profiles. The gateway answers
// every request within its read timeout (5 s) and then at once while it knows the service down,
// /health names the one that is away, and the rest keeps serving.
const READ_TIMEOUT_MS = 5000

describe('a service frozen, and one killed', () => {
  it('is answered promptly and named by /health, while the rest serves and nothing acknowledged is lost', async () => {
    const mark = runMark()
    const people = await accounts(6, 'sv')
    const firstRefusal = refusals.length
    const slowest = { tweet: 0, other: 0 }
    const reads: number[] = []
    let reading = true
    const reader = (async () => {
      for (let i = 0; reading; i++) {
        const started = Date.now()
        const response = await gateway(`/users/${people[i % people.length]!.id}`)
        reads.push(response.status)
        slowest.other = Math.max(slowest.other, Date.now() - started)
        await sleep(100)
      }
    })()
    const health: { at: string; notReady: string[] }[] = []
    const watch = async (at: string, name: string) => {
      const report = await waitFor(async () => {
        const body = (await gateway('/health')).body as { not_ready: string[] }
        return body.not_ready.includes(name) ? body : undefined
      }, { what: `/health naming ${name}`, timeoutMs: 20_000 })
      health.push({ at, notReady: report.not_ready })
    }

    const faults = (async () => {
      await sleep(5000)
      const tweetPid = runningPid('service-tweet')!
      process.kill(tweetPid, 'SIGSTOP')
      try {
        // Requests made meanwhile, timed: none may wait past the read timeout.
        const probes = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
          await sleep(i * 500)
          const started = Date.now()
          const response = await gateway(`/tweets/${i + 1}`)
          slowest.tweet = Math.max(slowest.tweet, Date.now() - started)
          return response.status
        }))
        await watch('tweet frozen', 'tweet')
        return probes
      } finally {
        process.kill(tweetPid, 'SIGCONT')
      }
    })().then(async (probes) => {
      await untilHealthy(60_000)
      const dm = services.find((s) => s.name === 'dm')!
      process.kill(-runningPid('service-dm')!, 'SIGKILL')
      await waitFor(() => runningPid('service-dm') === undefined, { what: 'the dm service gone' })
      const refused = await gateway('/conversations', { token: people[0]!.token })
      await watch('dm killed', 'dm')
      await sleep(5000)
      await appServices.startOne(dm, ['api'])
      return { probes, refused }
    })

    const [tweets, messages, outcome] = await Promise.all([
      paced(150, 4, (i) => postSurely(people[i % people.length]!, `${mark} t${i}`).then((r) => r.response.body as { id: string; text: string })),
      paced(60, 1.5, (i) => messageSurely(people[i % people.length]!, people[(i + 1) % people.length]!, `${mark} m${i}`).then((r) => r.response.body)),
      faults,
    ])
    reading = false
    await reader
    const lastFault = Date.now()
    await untilHealthy()

    const result = await converge(async () => {
      return sum([await storedTweets(people, mark, tweets), await storedMessages(people, messages)])
    }, lastFault)
    record({
      case: 'tweet service frozen 20 s, dm service killed', operations: tweets.length + messages.length + reads.length, faults: 2, missing: result.missing, duplicated: result.duplicated,
      convergeSeconds: result.convergeSeconds,
      notes: `slowest answer: ${slowest.tweet} ms from the frozen service, ${slowest.other} ms from the others; profile reads ${reads.filter((s) => s === 200).length}/${reads.length} answered 200; /health named ${health.map((h) => h.notReady.join(',')).join(' then ')}; refusals ${JSON.stringify(refusalsSince(firstRefusal))}`,
    })
    expect(slowest.tweet).toBeLessThan(READ_TIMEOUT_MS + 2000)
    expect(outcome.probes.every((s) => s === 503 || s === 504)).toBe(true)
    expect(outcome.refused.status).toBe(503)
    expect(reads.every((s) => s === 200)).toBe(true)
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
  })
})
