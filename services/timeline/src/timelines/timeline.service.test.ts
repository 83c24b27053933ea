import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { createMemoryTimelines } from './timelines.memory.ts'

const [reader, author, star, fan1, fan2, other] = ['21', '22', '23', '24', '25', '26']
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)

/** `reader` follows `author` (pushed) and `star`, who has three followers (merged at read time). */
async function setup() {
  const world = createMemoryTimelines({ celebrityThreshold: 3 })
  const { say, deliver, ids } = world
  await deliver(...[reader, author, star, fan1, fan2, other].map((id) => say.registered(id, `user${id}`)))
  await ids(reader)
  await deliver(say.follow(reader, author), say.follow(reader, star), say.follow(fan1, star), say.follow(fan2, star))
  return world
}

describe('reading a home timeline', () => {
  it('is for its owner only', async () => {
    const { timelines } = await setup()
    expect(await code(timelines.read(reader, other, 20))).toBe('TML_NOT_YOURS')
    expect(await code(timelines.read(reader, reader, 20))).toBe('resolved')
  })

  it('pages newest first across pushed and merged entries, with no duplicates or gaps, and a null cursor at the end', async () => {
    const { say, deliver, pages, timelines } = await setup()
    const posted: string[] = []
    for (let i = 0; i < 5; i++) {
      for (const who of i % 2 === 0 ? [author, star] : [star, author]) posted.push((await deliver(say.tweet(who, `tweet ${i}`)))[0]!.payload.tweet_id)
    }
    for (const limit of [1, 3, 4, 10]) expect((await pages(reader, limit)).flat()).toEqual([...posted].reverse())
    expect((await pages(reader, 4)).map((page) => page.length)).toEqual([4, 4, 2])
    expect((await timelines.read(reader, reader, 20)).next_cursor).toBeNull()
  })

  it('refuses a cursor it did not give out', async () => {
    const { timelines } = await setup()
    for (const cursor of ['bm9wZQ', encodeCursor(['x']), encodeCursor([1])]) {
      expect(await code(timelines.read(reader, reader, 20, cursor))).toBe('INVALID_CURSOR')
    }
  })

  it('keeps every entry, once, when an author crosses the high-follower threshold', async () => {
    const { say, deliver, ids, store } = await setup()
    const [pushed] = await deliver(say.tweet(author, 'while ordinary'))
    // Read once before: the reader's graph, cached, still has the author among the pushed ones.
    expect(await ids(reader)).toEqual([pushed!.payload.tweet_id])
    await deliver(say.follow(fan1, author), say.follow(fan2, author))
    const [merged] = await deliver(say.tweet(author, 'now merged'))
    expect((await store.readHome(reader, undefined, 10)).some((m) => m.includes(`:${merged!.payload.tweet_id}:`))).toBe(false)
    expect(await ids(reader)).toEqual([merged!.payload.tweet_id, pushed!.payload.tweet_id])
  })

  it('rebuilds a reader\'s timeline on the next read after Redis came back without its last writes', async () => {
    const { say, deliver, ids, store } = await setup()
    const [kept, lost] = await deliver(say.tweet(author, 'kept'), say.tweet(author, 'lost in the crash'))
    store.crash((key, member) => key === `home:${reader}` && member.includes(`:${lost!.payload.tweet_id}:`))
    expect(await ids(reader)).toEqual([kept!.payload.tweet_id])
    expect(await store.noticeRestart()).toBe(true)
    expect(await ids(reader)).toEqual([lost!.payload.tweet_id, kept!.payload.tweet_id])
  })

  it('writes nothing for a reader whose activity lapsed, and rebuilds their timeline on their next read', async () => {
    const { say, deliver, ids, store } = await setup()
    const [first] = await deliver(say.tweet(author, 'read'))
    store.lapse(reader)
    const [second] = await deliver(say.tweet(author, 'while away'))
    expect((await store.readHome(reader, undefined, 10)).some((m) => m.includes(`:${second!.payload.tweet_id}:`))).toBe(false)
    expect(await ids(reader)).toEqual([second!.payload.tweet_id, first!.payload.tweet_id])
    expect(await store.isActive(reader)).toBe(true)
  })
})
