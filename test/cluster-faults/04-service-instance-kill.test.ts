import { describe, expect, it } from 'vitest'
import { appServices, daemonName, rolesOf, services } from '../../scripts/stack/components/services.ts'
import { gateway } from '../setup/http.ts'
import { converge, paced, postSurely, record, refusals, refusalsSince, runMark } from '../faults/workload.ts'
import { kill, readersOf } from './cluster.ts'

// The first instance of every service (its API and its worker) SIGKILLed twice under reads and
// writes, and started again a few seconds later. nginx passes a read that met a dead instance to
// the other; a write it cannot know the fate of is answered 502 and retried by the client with
// the same Idempotency-Key, which completes it exactly once.
const ROUNDS = 2

describe('one instance of each service SIGKILLed under load', () => {
  it('answers every read, and completes every write exactly once', async () => {
    const mark = runMark()
    const { authors, readers, follows, delivered } = await readersOf(6, 2)
    const readStatuses: number[] = []
    let reading = true
    const reads = (async () => {
      for (let i = 0; reading; i++) {
        const reader = readers[i % readers.length]!
        readStatuses.push((await gateway(`/timelines/${reader.id}`, { token: reader.token })).status)
      }
    })()
    const refusedFrom = refusals.length
    let killed = 0
    const fault = (async () => {
      for (let round = 0; round < ROUNDS; round++) {
        await new Promise((resolve) => setTimeout(resolve, 3000))
        const firsts = services.flatMap((s) => rolesOf(s).map((role) => daemonName(s, role, 1)))
        await Promise.all(firsts.map(kill))
        killed += firsts.length
        await new Promise((resolve) => setTimeout(resolve, 3000))
        await Promise.all(services.map((s) => appServices.startOne(s, ['api', 'worker'], [1])))
      }
    })()
    const posted = await paced(authors.length * 40, 20, async (i) => {
      const author = authors[i % authors.length]!
      const { response } = await postSurely(author, `${mark} tweet ${i}`)
      return { author: author.id, id: response.body.id as string }
    })
    await fault
    reading = false
    await reads
    const lastFault = Date.now()

    const result = await converge(() => delivered(posted, mark), lastFault)
    const failedReads = readStatuses.filter((s) => s !== 200).length
    const refused = refusalsSince(refusedFrom)
    record({
      case: 'cluster: first instance of every service SIGKILLed ×2', operations: posted.length + follows.length + readStatuses.length, faults: killed,
      missing: result.missing, duplicated: result.duplicated, convergeSeconds: result.convergeSeconds,
      notes: `${readStatuses.length} reads, ${failedReads} not 200; writes refused and retried with their key: ${JSON.stringify(refused)}`,
    })
    expect({ missing: result.missing, duplicated: result.duplicated, failedReads }).toEqual({ missing: 0, duplicated: 0, failedReads: 0 })
    // Only writes in flight when an instance died are refused, never more than the writers at once.
    expect(refusals.length - refusedFrom).toBeLessThanOrEqual(ROUNDS * 16)
  })
})
