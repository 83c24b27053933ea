import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { elasticsearch } from '../../scripts/stack/components/elasticsearch.ts'
import { gateway } from '../setup/http.ts'
import { accounts, allItems, compare, converge, paced, postSurely, record, runMark, searchIds, surely } from './workload.ts'

// Elasticsearch stopped for 60 s while tweets are posted and deleted. Search answers 503 with
// Retry-After meanwhile; within 60 s of its return the index holds exactly what PostgreSQL does.
const OUTAGE_MS = 60_000

describe('Elasticsearch stopped for 60 s', () => {
  it('indexes everything it missed, deletions included, within 60 s of its return', async () => {
    const mark = runMark()
    const authors = await accounts(6, 'es')
    const before = await paced(60, 20, (i) => postSurely(authors[i % authors.length]!, `${mark} before ${i}`).then((r) => ({ id: r.response.body.id as string, author: authors[i % authors.length]! })))
    const post = (i: number) => postSurely(authors[i % authors.length]!, `${mark} during ${i}`).then((r) => ({ id: r.response.body.id as string, author: authors[i % authors.length]! }))
    const remove = (t: { id: string; author: { token: string } }) => surely(() => gateway(`/tweets/${t.id}`, { method: 'DELETE', token: t.author.token }), (s) => s === 204)

    await elasticsearch.stop()
    const started = Date.now()
    const refused = await gateway(`/search/?q=${mark}`)
    const [during] = await Promise.all([
      paced(200, 4, post),
      // A sixth of the earlier tweets is deleted meanwhile.
      paced(10, 0.5, (i) => remove(before[i * 6]!)),
    ])
    const lateDeletes = during.filter((_, i) => i % 10 === 0)
    await Promise.all(lateDeletes.map(remove))
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - started)))
    await elasticsearch.start()
    await elasticsearch.ready()
    const back = Date.now()

    const deleted = new Set([...before.filter((_, i) => i % 6 === 0 && i / 6 < 10), ...lateDeletes].map((t) => t.id))
    const result = await converge(async () => {
      // What PostgreSQL holds (the tweet service's own lists) against what search finds.
      const stored = (await Promise.all(authors.map((a) => allItems(`/users/${a.id}/tweets`)))).flat().map((t) => t.id).filter((id) => [...before, ...during].some((t) => t.id === id))
      const found = await searchIds(mark)
      const comparison = compare(stored, found)
      const resurrected = found.filter((id) => deleted.has(id)).length
      return { missing: comparison.missing + resurrected, duplicated: comparison.duplicated }
    }, back, 60_000) // the promise: the index equals PostgreSQL within 60 s of the return
    record({
      case: 'Elasticsearch stopped 60 s', operations: before.length + during.length + deleted.size, faults: 1, missing: result.missing, duplicated: result.duplicated,
      convergeSeconds: result.convergeSeconds, notes: `${during.length} tweets posted and ${deleted.size} deleted during the outage; search meanwhile: ${refused.status} with Retry-After ${refused.headers.get('retry-after')}`,
    })
    expect(refused.status).toBe(503)
    expect({ missing: result.missing, duplicated: result.duplicated }).toEqual({ missing: 0, duplicated: 0 })
  })
})
