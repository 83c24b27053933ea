import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { appServices, daemonName, services } from '../../scripts/stack/components/services.ts'
import { runningPid } from '../../scripts/stack/process.ts'
import type { Account } from '../setup/accounts.ts'
import { accounts, compare, converge, followSurely, paced, postSurely, record, repeatedly, runMark, sum, timelineIds, untilFollowsProjected } from './workload.ts'

// The timeline consumer (its worker process) SIGKILLed every 5 s and started again at once (as a supervisor would)
// while 3,000 tweets fan out, from ordinary authors (pushed into followers' home sets) and from
// high-follower ones (merged at read time). Each reader follows one of each, 600 tweets in all,
// within the 800 a home timeline keeps.
const timeline = services.find((s) => s.name === 'timeline')!
const AUTHORS = 5
const TWEETS_EACH = 300
const THRESHOLD = 5

describe('timeline consumer killed every 5 s', () => {
  it('delivers every tweet to every follower exactly once, on both fanout paths', async () => {
    const mark = runMark()
    const [ordinary, celebrities, readers, fans] = await Promise.all([
      accounts(AUTHORS, 'plain'), accounts(AUTHORS, 'celeb'), accounts(AUTHORS * 2, 'reader'), accounts(THRESHOLD, 'fan'),
    ])
    // Readers read once, so they count as active and get pushed entries.
    await Promise.all(readers.map((r) => timelineIds(r)))
    const follows: [Account, Account][] = [
      ...readers.map((r, i) => [r, ordinary[i % AUTHORS]!] as [Account, Account]),
      ...readers.map((r, i) => [r, celebrities[i % AUTHORS]!] as [Account, Account]),
      ...celebrities.flatMap((c) => fans.map((f) => [f, c] as [Account, Account])),
    ]
    await paced(follows.length, 50, (i) => followSurely(...follows[i]!))
    await untilFollowsProjected(follows)

    const restarts: number[] = []
    const kills = repeatedly(5000, async () => {
      const pid = runningPid(daemonName(timeline, 'worker'))
      if (pid) process.kill(-pid, 'SIGKILL')
      await waitFor(() => runningPid(daemonName(timeline, 'worker')) === undefined, { what: 'the timeline worker gone' })
      const started = Date.now()
      await appServices.startOne(timeline, ['worker'])
      restarts.push((Date.now() - started) / 1000)
    })
    const authors = [...ordinary, ...celebrities]
    const posted = await paced(authors.length * TWEETS_EACH, 50, async (i) => {
      const author = authors[i % authors.length]!
      const { response } = await postSurely(author, `${mark} tweet ${i}`)
      return { author: author.id, id: response.body.id as string }
    })
    const faults = await kills.stop()
    const lastFault = Date.now()

    const expected = new Map(readers.map((r, i) => [r.id, posted.filter((t) => t.author === ordinary[i % AUTHORS]!.id || t.author === celebrities[i % AUTHORS]!.id).map((t) => t.id)]))
    const result = await converge(async () => sum(await Promise.all(readers.map(async (r) => compare(expected.get(r.id)!, await timelineIds(r))))), lastFault)
    record({
      case: 'timeline consumer SIGKILLed every 5 s', operations: posted.length + follows.length, faults, missing: result.missing, duplicated: result.duplicated,
      convergeSeconds: result.convergeSeconds, notes: `${readers.length} readers × 600 tweets; restart to ready ${Math.max(...restarts).toFixed(1)} s at most (median ${restarts.toSorted((a, b) => a - b)[restarts.length >> 1]!.toFixed(1)} s)`,
    })
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
    expect(faults).toBeGreaterThanOrEqual(10)
  })
})
