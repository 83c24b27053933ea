import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it, vi } from 'vitest'
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

  it('gives each tweet the reader\'s own state, of the tweet itself when it came as a retweet, and takes it back when undone', async () => {
    const { say, deliver, timelines } = await setup()
    const [own] = await deliver(say.tweet(author, 'by a followee'))
    const [merged] = await deliver(say.tweet(star, 'merged at read time'))
    const [shared] = await deliver(say.tweet(other, 'retweeted into the timeline'))
    await deliver(say.retweet(shared!.payload, author, 1))
    const states = async () => (await timelines.read(reader, reader, 20)).items.map((item) => [item.id, item.retweeted_by?.id ?? null, item.viewer])
    const none = { liked: false, retweeted: false }
    expect(await states()).toEqual([[shared!.payload.tweet_id, author, none], [merged!.payload.tweet_id, null, none], [own!.payload.tweet_id, null, none]])

    const [likeShared, likeMerged] = await deliver(say.like(shared!.payload.tweet_id, reader, 1), say.like(merged!.payload.tweet_id, reader, 1))
    const [retweetOwn] = await deliver(say.retweet(own!.payload, reader, 1))
    // Someone else's like changes nothing for the reader.
    await deliver(say.like(own!.payload.tweet_id, fan1, 1))
    expect(await states()).toEqual([
      [own!.payload.tweet_id, reader, { liked: false, retweeted: true }],
      [shared!.payload.tweet_id, author, { liked: true, retweeted: false }],
      [merged!.payload.tweet_id, null, { liked: true, retweeted: false }],
      [own!.payload.tweet_id, null, { liked: false, retweeted: true }],
    ])

    await deliver(say.unlike(likeShared!, 0), say.unlike(likeMerged!, 0), say.unretweet(retweetOwn!, 0))
    expect(await states()).toEqual([[shared!.payload.tweet_id, author, none], [merged!.payload.tweet_id, null, none], [own!.payload.tweet_id, null, none]])
  })

  it('reads a warm page without a query: tweets, names and the reader\'s state come from the cache', async () => {
    const world = await setup()
    const { say, deliver, timelines, projection } = world
    const [first, second] = await deliver(say.tweet(author, 'one'), say.tweet(author, 'two'))
    // Retweets of tweets never projected: entries in Redis that hydration drops, so the page needs more rounds.
    for (let i = 0; i < 3; i++) await deliver(say.retweet(say.tweet(other, 'unseen').payload, author, 1))
    const page = await timelines.read(reader, reader, 1)
    expect(page.items.map((item) => item.id)).toEqual([second!.payload.tweet_id])

    const hydrations = vi.spyOn(projection, 'tweets')
    const queries = (['users', 'viewerSets', 'viewerStates', 'readerGraph', 'recentEntries'] as const).map((name) => vi.spyOn(projection, name))
    expect((await timelines.read(reader, reader, 1)).items.map((item) => item.id)).toEqual([second!.payload.tweet_id])
    expect((await timelines.read(reader, reader, 1, page.next_cursor!)).items.map((item) => item.id)).toEqual([first!.payload.tweet_id])
    // Only the tweets never projected are looked for again (they may have arrived since).
    const looked = hydrations.mock.calls.flatMap(([ids]) => ids)
    expect(looked.length).toBeGreaterThan(0)
    expect(looked).not.toContain(first!.payload.tweet_id)
    expect(looked).not.toContain(second!.payload.tweet_id)
    for (const query of queries) expect(query).not.toHaveBeenCalled()
  })

  it('shows the next read what the worker applied to a cached page: a deletion, a new name, a like, a block, a mute', async () => {
    const { say, deliver, timelines } = await setup()
    const [own] = await deliver(say.tweet(author, 'by a followee'))
    const [shared] = await deliver(say.tweet(other, 'by a stranger, retweeted in'))
    await deliver(say.retweet(shared!.payload, author, 1))
    const page = async () => (await timelines.read(reader, reader, 20)).items
      .map((item) => ({ id: item.id, by: item.author.display_name, likes: item.like_count, liked: item.viewer!.liked }))
    expect(await page()).toEqual([
      { id: shared!.payload.tweet_id, by: `user${other}`, likes: 0, liked: false },
      { id: own!.payload.tweet_id, by: `user${author}`, likes: 0, liked: false },
    ])

    await deliver(say.renamed(author, 'Renamed'), say.like(own!.payload.tweet_id, reader, 1))
    expect(await page()).toEqual([
      { id: shared!.payload.tweet_id, by: `user${other}`, likes: 0, liked: false },
      { id: own!.payload.tweet_id, by: 'Renamed', likes: 1, liked: true },
    ])

    // The stranger's tweet is in the reader's timeline only as the followee's retweet: its cached copy must say it is gone.
    await deliver(say.deleted(shared!.payload))
    expect((await page()).map((item) => item.id)).toEqual([own!.payload.tweet_id])

    const [again] = await deliver(say.tweet(other, 'retweeted in again'))
    await deliver(say.retweet(again!.payload, author, 2))
    expect((await page()).map((item) => item.id)).toEqual([again!.payload.tweet_id, own!.payload.tweet_id])
    await deliver(say.mute(reader, other))
    expect((await page()).map((item) => item.id)).toEqual([own!.payload.tweet_id])
    await deliver(say.block(author, reader))
    expect(await page()).toEqual([])
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
