import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { describe, expect, it } from 'vitest'
import { createMemoryRepositories } from '../repositories.memory.ts'
import { createSearchService } from '../search/search.service.ts'
import { blocked, liked, NOW, registered, renamed, retweeted, tweeted } from './events.fixture.ts'
import { createIndexer } from './indexer.ts'

/** The indexer over in-memory indices, and search over what it indexed. */
function setup() {
  const repositories = createMemoryRepositories()
  const indexer = createIndexer(repositories)
  const service = createSearchService({ ...repositories, now: () => NOW })
  return {
    index: async (...events: EventEnvelope[]) => { for (const event of events) await indexer.handle(event) },
    search: (q: string, type: 'tweets' | 'users' = 'tweets', viewer: string | null = null) =>
      service.search({ q, type, highlight: false, limit: 20 }, viewer) as Promise<{ items: Record<string, unknown>[] }>,
  }
}

describe('the search indexer', () => {
  it('keeps the newest like count when an older one comes late or again', async () => {
    const { index, search } = setup()
    const [first, second] = [liked('100', 1), liked('100', 2)]
    await index(tweeted('100', '1', 'counted'), first, second)
    await index(first, second, first)
    expect((await search('counted')).items[0]).toMatchObject({ like_count: 2 })
  })

  it('keeps a rename when the registration is delivered again after it, on the account and on its tweets', async () => {
    const { index, search } = setup()
    const registration = registered('1', 'ada', 'Ada')
    await index(registration, renamed('1', 'ada', 'Countess'), tweeted('100', '1', 'written'), registration)
    expect((await search('ada', 'users')).items).toEqual([{ id: '1', username: 'ada', display_name: 'Countess', avatar_url: null }])
    expect((await search('written')).items[0]).toMatchObject({ author: { display_name: 'Countess' } })
  })

  it('lets a block\'s end stand when a copy of its start comes late', async () => {
    const { index, search } = setup()
    const start = blocked('2', '1')
    await index(tweeted('100', '2', 'visible'), start)
    expect((await search('visible', 'tweets', '1')).items).toEqual([])
    await index(blocked('2', '1', 'block.deleted'), start)
    expect((await search('visible', 'tweets', '1')).items).toHaveLength(1)
  })

  it('keeps the reader\'s newest like and retweet state when an older change comes late or again', async () => {
    const { index, search } = setup()
    const reader = '3'
    const like = liked('100', 1, reader)
    const [retweet, unretweet, retweetAgain] = [retweeted('100', 1, reader), retweeted('100', 0, reader, 'retweet.deleted'), retweeted('100', 1, reader)]
    await index(tweeted('100', '1', 'engaged'), like, retweet)
    expect((await search('engaged', 'tweets', reader)).items[0]).toMatchObject({ viewer: { liked: true, retweeted: true } })
    await index(liked('100', 0, reader, 'like.deleted'), like, unretweet, retweetAgain, unretweet, retweet)
    expect((await search('engaged', 'tweets', reader)).items[0]).toMatchObject({ viewer: { liked: false, retweeted: true }, like_count: 0, retweet_count: 1 })
  })

  it('never takes a like or retweet for a block or mute', async () => {
    const { index, search } = setup()
    // The liked tweet's id is also an author's id: were a like read as a mute, that author would vanish.
    await index(tweeted('2', '1', 'liked tweet'), tweeted('100', '2', 'tweet by two'), liked('2', 1, '3'), retweeted('2', 1, '3'))
    expect((await search('tweet', 'tweets', '3')).items.map((item) => item.id).sort()).toEqual(['100', '2'])
  })

  it('passes over the events it does not index', async () => {
    const { index, search } = setup()
    await index(createEvent('follow.created', 1, '1', { follower_id: '1', followee_id: '2', created_at: new Date(NOW).toISOString() }), tweeted('100', '1', 'after a follow'))
    expect((await search('follow')).items).toHaveLength(1)
  })
})
