import { randomUUID } from 'node:crypto'
import { Client } from '@elastic/elasticsearch'
import { afterAll, describe, expect, it } from 'vitest'
import { testEnv } from '../../../test/setup/env.ts'
import { aliasTargets, ensureIndex, indexSpecs } from '../src/indices.ts'

const elastic = new Client({ nodes: testEnv.elasticsearchUrl.split(','), requestTimeout: 10_000 })
// A prefix of this test's own: the stack's indices are left alone.
const prefix = `starling-test-${randomUUID().slice(0, 8)}`

afterAll(async () => {
  await elastic.indices.delete({ index: `${prefix}-*` }).catch(() => undefined)
  await elastic.close()
})

describe('the indices at start', () => {
  it('are made once when several workers start at the same moment, each worker starting without an error', async () => {
    const spec = indexSpecs(prefix, { refreshMs: 250 }).users
    const starts = await Promise.allSettled(Array.from({ length: 4 }, () => ensureIndex(elastic, spec)))
    expect(starts.filter((s) => s.status === 'rejected')).toEqual([])
    expect(await aliasTargets(elastic, spec.alias)).toEqual([`${spec.alias}-v1`])
    expect(await aliasTargets(elastic, spec.writeAlias)).toEqual([`${spec.alias}-v1`])
  })
})
