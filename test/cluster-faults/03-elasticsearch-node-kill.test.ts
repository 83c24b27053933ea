import { describe, expect, it } from 'vitest'
import { gateway } from '../setup/http.ts'
import { accounts, compare, converge, paced, postSurely, record, runMark, searchIds } from '../faults/workload.ts'
import { elasticsearchHealth, kill, restoreElasticsearch } from './cluster.ts'

// One of the three Elasticsearch nodes SIGKILLed while tweets are written and searched: every
// shard has a copy on another node, so searches keep answering; once the node is back the index
// holds exactly the tweets Postgres acknowledged.
describe('an Elasticsearch node SIGKILLed during writes and searches', () => {
  it('keeps answering searches and ends with the index equal to what was written', async () => {
    const mark = runMark()
    const authors = await accounts(4, 'esauthor')
    const searchStatuses: number[] = []
    let searching = true
    const searches = (async () => {
      while (searching) {
        searchStatuses.push((await gateway(`/search/?type=tweets&q=${mark}`)).status)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const fault = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000))
      await kill('elasticsearch-2')
    })()
    const posted = await paced(authors.length * 40, 20, async (i) => {
      const { response } = await postSurely(authors[i % authors.length]!, `${mark} tweet ${i}`)
      return response.body.id as string
    })
    await fault
    const duringFault = (await elasticsearchHealth()).number_of_nodes
    await restoreElasticsearch()
    searching = false
    await searches
    const lastFault = Date.now()

    const result = await converge(async () => compare(posted, await searchIds(mark)), lastFault)
    const failed = searchStatuses.filter((s) => s !== 200).length
    record({
      case: 'cluster: an Elasticsearch node SIGKILLed', operations: posted.length + searchStatuses.length, faults: 1,
      missing: result.missing, duplicated: result.duplicated, convergeSeconds: result.convergeSeconds,
      notes: `${searchStatuses.length} searches during the run, ${failed} not answered 200; ${duringFault} nodes while one was down`,
    })
    expect({ missing: result.missing, duplicated: result.duplicated, failedSearches: failed }).toEqual({ missing: 0, duplicated: 0, failedSearches: 0 })
  })
})
