import { describe, expect, it } from 'vitest'
import { createMemoryTimelines } from './timelines.memory.ts'

const [reader, author, friend, sleeper, stranger] = ['11', '12', '13', '14', '15']

/** A world where `reader` and `sleeper` follow `author`, and only `reader` has read their timeline (so is active). */
async function setup(options: { celebrityThreshold?: number } = {}) {
  const world = createMemoryTimelines(options)
  const { say, deliver, ids } = world
  await deliver(...[reader, author, friend, sleeper, stranger].map((id) => say.registered(id, `user${id}`)))
  await ids(reader)
  await deliver(say.follow(reader, author), say.follow(sleeper, author))
  return world
}
const members = (entries: string[]) => entries.map((member) => member.split(':')[1])

describe('the fanout', () => {
  it('pushes a tweet into the author\'s own and their active followers\' home timelines, counting what it wrote', async () => {
    const { say, deliver, store, ids, metric } = await setup()
    const [tweet] = await deliver(say.tweet(author, 'hello'))
    expect(members(await store.readHome(reader, undefined, 10))).toEqual([tweet!.payload.tweet_id])
    // Nobody reads the sleeper's timeline: no write is spent on it until they come back.
    expect(await store.readHome(sleeper, undefined, 10)).toEqual([])
    expect(await metric('timeline_fanout_entries_total')).toBe(1)
    expect(await metric('timeline_fanout_lag_seconds_count')).toBe(1)
    expect(await ids(reader)).toEqual([tweet!.payload.tweet_id])
    expect(await ids(sleeper)).toEqual([tweet!.payload.tweet_id])
  })

  it('keeps a high-follower author\'s tweets out of home timelines and merges them in at read time', async () => {
    const { say, deliver, store, ids, metric } = await setup({ celebrityThreshold: 3 })
    await deliver(say.follow(friend, author))
    const [tweet] = await deliver(say.tweet(author, 'to the many'))
    expect(await store.readHome(reader, undefined, 10)).toEqual([])
    expect(members(await store.readAuthor(author, { generation: '0', after: undefined, count: 10 }, async () => []))).toEqual([tweet!.payload.tweet_id])
    expect(await ids(reader)).toEqual([tweet!.payload.tweet_id])
    expect(await metric('timeline_pull_merges_total')).toBeGreaterThan(0)
  })

  it('adds a followee\'s earlier tweets on follow and takes them out on unfollow', async () => {
    const { say, deliver, ids } = await setup()
    const [earlier] = await deliver(say.tweet(friend, 'before you followed'))
    expect(await ids(reader)).toEqual([])
    await deliver(say.follow(reader, friend))
    expect(await ids(reader)).toEqual([earlier!.payload.tweet_id])
    await deliver(say.unfollow(reader, friend))
    expect(await ids(reader)).toEqual([])
  })

  it('hides whoever is blocked, either way, or muted, and brings a muted followee back on unmute', async () => {
    const { say, deliver, ids } = await setup()
    await deliver(say.follow(reader, friend), say.follow(reader, stranger))
    const tweets = (await deliver(say.tweet(author, 'a'), say.tweet(friend, 'f'), say.tweet(stranger, 's'))).map((t) => t.payload.tweet_id)
    expect(await ids(reader)).toEqual([...tweets].reverse())

    await deliver(say.block(reader, author), say.block(friend, reader), say.mute(reader, stranger))
    expect(await ids(reader)).toEqual([])
    await deliver(say.mute(reader, stranger, 'mute.deleted'))
    expect(await ids(reader)).toEqual([tweets[2]])
  })

  it('hides a muted author\'s tweet when a followee retweets it, and a blocked high-follower author merged at read time', async () => {
    const { say, deliver, ids } = await setup({ celebrityThreshold: 3 })
    await deliver(say.follow(friend, author), say.follow(reader, friend), say.mute(reader, stranger))
    const [merged] = await deliver(say.tweet(author, 'to the many'))
    const shared = say.tweet(stranger, 'muted')
    await deliver(shared, say.retweet(shared.payload, friend, 1))
    expect(await ids(reader)).toEqual([merged!.payload.tweet_id])
    await deliver(say.block(author, reader))
    expect(await ids(reader)).toEqual([])
  })

  it('retracts a deleted tweet and an undone retweet everywhere, and counts a reply once', async () => {
    const { say, deliver, ids, timelines } = await setup()
    await deliver(say.follow(reader, friend))
    const [tweet] = await deliver(say.tweet(author, 'worth sharing'))
    const [reply] = await deliver(say.tweet(friend, 'agreed', { id: tweet!.payload.tweet_id, authorId: author }))
    await deliver(reply!)
    const page = await timelines.read(reader, reader, 10)
    expect(page.items.map((i) => [i.id, i.reply_count])).toEqual([[reply!.payload.tweet_id, 0], [tweet!.payload.tweet_id, 1]])

    const retweet = say.retweet({ tweet_id: tweet!.payload.tweet_id, author_id: author }, friend, 1)
    await deliver(retweet)
    expect((await timelines.read(reader, reader, 10)).items[0]).toMatchObject({ id: tweet!.payload.tweet_id, retweet_count: 1, retweeted_by: { id: friend, username: `user${friend}` } })
    await deliver(say.unretweet(retweet, 0))
    expect(await ids(reader)).toEqual([reply!.payload.tweet_id, tweet!.payload.tweet_id])

    await deliver(say.deleted(reply!.payload))
    expect(await ids(reader)).toEqual([tweet!.payload.tweet_id])
    expect((await timelines.read(reader, reader, 10)).items[0]).toMatchObject({ reply_count: 0, retweet_count: 0 })
  })

  it('counts likes that come before their tweet is projected', async () => {
    const { say, deliver, timelines } = await setup()
    const tweet = say.tweet(author, 'liked at once')
    await deliver(say.like(tweet.payload.tweet_id, friend, 1), say.like(tweet.payload.tweet_id, stranger, 2))
    await deliver(tweet)
    expect((await timelines.read(reader, reader, 10)).items).toEqual([expect.objectContaining({ id: tweet.payload.tweet_id, like_count: 2 })])
  })

  it('keeps who likes and who retweeted a tweet, and applies a redelivered like or retweet event once', async () => {
    const { say, deliver, projection } = await setup()
    const [tweet] = await deliver(say.tweet(author, 'liked and shared'))
    const id = tweet!.payload.tweet_id
    const state = async (who: string) => (await projection.viewerStates(who, [id])).get(id)
    const count = async () => (await projection.tweets([id])).get(id)

    const [like, retweet] = await deliver(say.like(id, reader, 1), say.retweet(tweet!.payload, reader, 1))
    expect(await state(reader)).toEqual({ liked: true, retweeted: true })
    expect(await state(friend)).toEqual({ liked: false, retweeted: false })

    await deliver(say.unlike(like!, 0), say.unretweet(retweet!, 0))
    expect(await state(reader)).toEqual({ liked: false, retweeted: false })
    // A like and a retweet delivered again after their undoing change nothing: not the state, not the counts.
    await deliver(like!, retweet!)
    expect(await state(reader)).toEqual({ liked: false, retweeted: false })
    expect(await count()).toMatchObject({ like_count: 0, retweet_count: 0 })
  })

  it('leaves timelines and counts exactly as they were when every event is delivered again', async () => {
    const { say, deliver, delivered, timelines, store } = await setup({ celebrityThreshold: 3 })
    await deliver(say.follow(reader, friend))
    const [first] = await deliver(say.tweet(author, 'one'))
    await deliver(say.tweet(friend, 'a reply', { id: first!.payload.tweet_id, authorId: author }))
    await deliver(say.retweet({ tweet_id: first!.payload.tweet_id, author_id: author }, friend, 1), say.like(first!.payload.tweet_id, friend, 1))
    await deliver(say.follow(stranger, author), say.tweet(author, 'now merged at read time'))
    const before = await timelines.read(reader, reader, 100)
    const homeBefore = await store.readHome(reader, undefined, 100)
    expect(before.items).toHaveLength(4)

    await deliver(...[...delivered])
    expect(await timelines.read(reader, reader, 100)).toEqual(before)
    expect(await store.readHome(reader, undefined, 100)).toEqual(homeBefore)
  })

  it('shows the newest name of an account, whatever order its events come in', async () => {
    const { say, deliver, delivered, timelines } = await setup()
    const registration = delivered.find((event) => event.type === 'user.registered' && event.key === author)!
    await deliver(say.renamed(author, 'Ada Lovelace'), say.renamed(author, 'Ada', '2025-06-01T00:00:00.000Z'), registration, say.tweet(author, 'signed'))
    expect((await timelines.read(reader, reader, 10)).items[0]!.author).toEqual({ id: author, username: `user${author}`, display_name: 'Ada Lovelace', avatar_url: null })
  })
})
