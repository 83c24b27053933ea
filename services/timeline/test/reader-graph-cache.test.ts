import { randomUUID } from 'node:crypto'
import { connectRedis } from '@starling/shared/db'
import { afterAll, describe, expect, it } from 'vitest'
import { createTimelineStore, type ReaderGraph } from '../src/timelines/timeline.store.ts'
import { testEnv } from '../../../test/setup/env.ts'

const redis = connectRedis(testEnv.redisUrl)
afterAll(() => redis.disconnect())
const store = createTimelineStore(redis, { maxEntries: 800, activeSeconds: 3600, batch: 500 })
// A reader id no stack user has, so the test's writes touch nobody's timeline.
const reader = () => `9${String(Date.now())}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`
const graph = (...ids: string[]): ReaderGraph => ({ followees: ids.map((id) => ({ id, followers: 1 })), hidden: new Set([randomUUID()]) })

describe('reader graph cache', () => {
  it('serves the graph it cached until the reader\'s graph changes', async () => {
    const id = reader()
    const loaded = graph('1', '2')
    expect(await store.fillGraph(id, await store.lookupGraph(id), loaded)).toBe(true)
    expect((await store.lookupGraph(id)).cached).toEqual(loaded)

    await store.graphsChanged([id])
    expect((await store.lookupGraph(id)).cached).toBeUndefined()
  })

  it('refuses a graph loaded before a change that committed meanwhile', async () => {
    const id = reader()
    const lookup = await store.lookupGraph(id)
    // The projection changed (a follow, block or mute) between the lookup and the fill.
    await store.graphsChanged([id])
    expect(await store.fillGraph(id, lookup, graph('stale'))).toBe(false)
    expect((await store.lookupGraph(id)).cached).toBeUndefined()
  })

  it('drops every cached graph when an author crosses the high-follower threshold', async () => {
    const id = reader()
    expect(await store.fillGraph(id, await store.lookupGraph(id), graph('1'))).toBe(true)
    const before = await store.lookupGraph(id)
    await store.celebritiesChanged()
    expect((await store.lookupGraph(id)).cached).toBeUndefined()
    expect(await store.fillGraph(id, before, graph('1'))).toBe(false)
  })

})
