import { describe, expect, it } from 'vitest'
import { converge, paced, postSurely, record, runMark } from '../faults/workload.ts'
import { kill, readersOf, redisMasters, restoreRedis, untilRedisFailedOver } from './cluster.ts'

// A Redis master SIGKILLed while tweets fan out into home timelines: its replica takes its slots
// (the cluster's node timeout is 3 s), the services follow the slots, and a timeline whose last
// writes the replica never received is rebuilt from the projection on its next read.
describe('a Redis master SIGKILLed during fanout', () => {
  it('serves every home timeline whole after the failover and loses no write', async () => {
    const mark = runMark()
    const { authors, follows, delivered } = await readersOf(6, 2)
    const victim = redisMasters()[0]!
    let failoverSeconds = 0
    const fault = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000))
      const started = Date.now()
      await kill(victim)
      await untilRedisFailedOver(victim)
      failoverSeconds = (Date.now() - started) / 1000
    })()
    const posted = await paced(authors.length * 60, 20, async (i) => {
      const author = authors[i % authors.length]!
      const { response } = await postSurely(author, `${mark} tweet ${i}`)
      return { author: author.id, id: response.body.id as string }
    })
    await fault
    const lastFault = Date.now()
    await restoreRedis()

    const result = await converge(() => delivered(posted, mark), lastFault)
    record({
      case: 'cluster: a Redis master SIGKILLed during fanout', operations: posted.length + follows.length, faults: 1,
      missing: result.missing, duplicated: result.duplicated, convergeSeconds: result.convergeSeconds,
      notes: `${victim} killed; its replica served its slots after ${failoverSeconds.toFixed(1)} s; the killed node rejoined as a replica`,
    })
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
    expect(redisMasters()).toHaveLength(3)
    expect(redisMasters()).not.toContain(victim)
  })
})
