import { describe, expect, it } from 'vitest'
import { converge, paced, postSurely, record, runMark } from '../faults/workload.ts'
import { busiestLeader, kill, readersOf, restoreKafka, TWEETS_TOPIC } from './cluster.ts'

// The broker leading the busiest partition of the tweets topic SIGKILLed five times while tweets
// are written, each time started again and waited for until every replica is back in sync. With
// three replicas and min.insync.replicas=2, writes go on on the other two.
const KILLS = 5

describe('a busy partition leader SIGKILLed five times during writes', () => {
  it('loses no acknowledged tweet and fans none out twice', async () => {
    const mark = runMark()
    const { authors, readers, follows, delivered } = await readersOf(6, 2)
    const posted: { author: string; id: string }[] = []
    let writing = true
    const writes = (async () => {
      for (let round = 0; writing; round++) {
        posted.push(...await paced(authors.length * 5, 30, async (i) => {
          const author = authors[i % authors.length]!
          const { response } = await postSurely(author, `${mark} tweet ${round}-${i}`)
          return { author: author.id, id: response.body.id as string }
        }))
      }
    })()
    const killed: string[] = []
    for (let k = 0; k < KILLS; k++) {
      await new Promise((resolve) => setTimeout(resolve, 2000))
      const { leader, partition } = await busiestLeader(TWEETS_TOPIC)
      killed.push(`node ${leader} (partition ${partition})`)
      await kill(`kafka-${leader}`)
      await new Promise((resolve) => setTimeout(resolve, 2000))
      await restoreKafka(TWEETS_TOPIC)
    }
    writing = false
    await writes
    const lastFault = Date.now()

    const result = await converge(() => delivered(posted, mark), lastFault)
    record({
      case: 'cluster: busiest tweets partition leader SIGKILLed ×5', operations: posted.length + follows.length, faults: killed.length,
      missing: result.missing, duplicated: result.duplicated, convergeSeconds: result.convergeSeconds,
      notes: `3 brokers, replication 3, min.insync 2; killed ${killed.join(', ')}; ${readers.length} home timelines and ${authors.length} authors' tweets checked`,
    })
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
    expect(killed).toHaveLength(KILLS)
  })
})
