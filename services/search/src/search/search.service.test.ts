import { errors } from '@elastic/elasticsearch'
import type { EventEnvelope } from '@starling/shared/events'
import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { blocked, deleted, liked, muted, NOW, registered, renamed, retweeted, tweeted } from '../indexing/events.fixture.ts'
import { createIndexer } from '../indexing/indexer.ts'
import { createMemoryRepositories } from '../repositories.memory.ts'
import type { TweetSearchOptions } from '../tweets/tweet-query.ts'
import type { SearchQuery } from './search.schemas.ts'
import { createSearchService } from './search.service.ts'

const [ada, bob] = ['1', '2']

/** The service over in-memory indices, fed through the indexer as the worker feeds the real ones. */
function setup(options: { now?: () => number } = {}) {
  const repositories = createMemoryRepositories()
  const indexer = createIndexer(repositories)
  const searches: TweetSearchOptions[] = []
  const tweets = { ...repositories.tweets, search: (request: TweetSearchOptions) => { searches.push(request); return repositories.tweets.search(request) } }
  const engagementQueries: { userId: string; tweetIds: string[] }[] = []
  const relations = {
    ...repositories.relations,
    engagementsOf: (userId: string, tweetIds: string[]) => { engagementQueries.push({ userId, tweetIds }); return repositories.relations.engagementsOf(userId, tweetIds) },
  }
  const service = createSearchService({ ...repositories, tweets, relations, now: options.now ?? (() => NOW) })
  return {
    service,
    searches,
    engagementQueries,
    index: async (...events: EventEnvelope[]) => { for (const event of events) await indexer.handle(event) },
  }
}

const query = (q: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({ q, type: 'tweets', highlight: false, limit: 20, ...extra })
const ids = (page: { items: unknown[] }) => (page.items as { id: string }[]).map((item) => item.id)
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('resolved') }, (error: unknown) => error as { status: number; code: string; headers?: Record<string, string>; errors?: unknown })

describe('searching tweets', () => {
  it('answers a full tweet with its author as renamed, its like, retweet and live reply counts', async () => {
    const { service, index } = setup()
    await index(registered(ada, 'ada'), registered(bob, 'bob'), tweeted('100', ada, 'hello world #greeting'))
    await index(liked('100', 3), retweeted('100', 1), tweeted('101', bob, 'a reply', { reply_to_id: '100' }), tweeted('102', bob, 'another', { reply_to_id: '100' }))
    await index(deleted('102', bob), renamed(ada, 'ada', 'Ada Lovelace'))

    expect(await service.search(query('hello'), null)).toEqual({
      items: [{
        id: '100', text: 'hello world #greeting', created_at: expect.any(String),
        author: { id: ada, username: 'ada', display_name: 'Ada Lovelace', avatar_url: null },
        conversation_id: '100', reply_to_id: null, quote_of_id: null, mentions: [], hashtags: ['greeting'], media: [],
        like_count: 3, retweet_count: 1, reply_count: 1,
      }],
      next_cursor: null,
    })
  })

  it('stops finding a deleted tweet, and a late copy of its creation does not bring it back', async () => {
    const { service, index } = setup()
    const created = tweeted('100', ada, 'doomed #gone')
    await index(created)
    expect(ids(await service.search(query('doomed'), null))).toEqual(['100'])
    await index(deleted('100', ada), created)
    expect(await service.search(query('doomed'), null)).toEqual({ items: [], next_cursor: null })
    expect((await service.search(query('gone', { type: 'hashtags' }), null)).items).toEqual([])
  })

  it('narrows to an author with from:, and answers an author nobody has with an empty page without searching', async () => {
    const { service, index, searches } = setup()
    await index(registered(ada, 'ada'), registered(bob, 'bob'), tweeted('100', ada, 'rust #async'), tweeted('101', bob, 'rust too #async'))
    expect(ids(await service.search(query('#async from:ADA'), null))).toEqual(['100'])
    expect(ids(await service.search(query('#async'), null))).toEqual(['101', '100'])
    searches.length = 0
    expect(await service.search(query('from:nobody rust'), null)).toEqual({ items: [], next_cursor: null })
    expect(searches).toEqual([])
  })

  it('pages through equal matches newest first, every page scored from the first page\'s moment', async () => {
    let clock = NOW
    const { service, index, searches } = setup({ now: () => clock })
    for (let i = 0; i < 5; i++) await index(tweeted(String(100 + i), ada, 'same words'))
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await service.search(query('same words', { limit: 2, ...(cursor ? { cursor } : {}) }), null)
      seen.push(...ids(page))
      cursor = page.next_cursor ?? undefined
      clock += 60_000
    } while (cursor)
    expect(seen).toEqual(['104', '103', '102', '101', '100'])
    expect(searches.map((search) => search.origin)).toEqual([NOW, NOW, NOW])
    expect(searches[1]!.after).toEqual([expect.any(Number), '103'])
  })

  it('highlights on request, falling back to the HTML-escaped text when nothing was marked', async () => {
    const { service, index } = setup()
    await index(tweeted('100', ada, '<b>bold</b> & word'))
    expect((await service.search(query('word'), null)).items[0]).not.toHaveProperty('highlight')
    expect((await service.search(query('word', { highlight: true }), null)).items[0]).toMatchObject({ highlight: '&lt;b&gt;bold&lt;&#x2F;b&gt; &amp; word' })
  })
})

describe('blocks and mutes', () => {
  it('leave out, for the searcher only, who blocked them and whom they blocked or muted, tweets and accounts alike', async () => {
    const [me, blocker, blockedOne, mutedOne, other] = ['10', '11', '12', '13', '14']
    const { service, index } = setup()
    for (const [id, name] of [[me, 'me'], [blocker, 'blocker'], [blockedOne, 'blocked'], [mutedOne, 'muted'], [other, 'other']] as const) {
      await index(registered(id, name), tweeted(`2${id}`, id, `word by ${name}`))
    }
    await index(blocked(blocker, me), blocked(me, blockedOne), muted(me, mutedOne))

    expect(ids(await service.search(query('word'), me)).sort()).toEqual([`2${me}`, `2${other}`])
    expect(ids(await service.search(query('word'), null))).toHaveLength(5)
    expect(ids(await service.search(query('word'), other))).toHaveLength(5)
    expect(ids(await service.search(query('blocker', { type: 'users' }), me))).toEqual([])
    expect(ids(await service.search(query('muted', { type: 'users' }), me))).toEqual([])
    expect(ids(await service.search(query('blocker', { type: 'users' }), other))).toEqual([blocker])

    const unmute = muted(me, mutedOne, 'mute.deleted')
    await index(unmute, blocked(me, blockedOne, 'block.deleted'))
    expect(ids(await service.search(query('word'), me)).sort()).toEqual([`2${me}`, `2${blockedOne}`, `2${mutedOne}`, `2${other}`])
  })
})

describe('the reader\'s own state of each tweet', () => {
  const viewers = (page: { items: unknown[] }) => (page.items as { id: string; viewer?: unknown }[]).map((item) => [item.id, item.viewer])

  it('is left out without a reader, and both false for a reader who neither likes nor retweeted', async () => {
    const { service, index } = setup()
    await index(tweeted('100', ada, 'plain words'), liked('100', 1, bob), retweeted('100', 1, bob))
    const [anonymous] = (await service.search(query('plain'), null)).items
    expect(anonymous).not.toHaveProperty('viewer')
    expect(viewers(await service.search(query('plain'), ada))).toEqual([['100', { liked: false, retweeted: false }]])
  })

  it('says liked and retweeted after the reader\'s like and retweet, and not once they are taken back', async () => {
    const { service, index } = setup()
    await index(tweeted('100', ada, 'liked words'), tweeted('101', ada, 'retweeted words'))
    await index(liked('100', 1, bob), retweeted('101', 1, bob))
    expect(viewers(await service.search(query('words'), bob))).toEqual([
      ['101', { liked: false, retweeted: true }],
      ['100', { liked: true, retweeted: false }],
    ])
    await index(liked('100', 0, bob, 'like.deleted'), retweeted('101', 0, bob, 'retweet.deleted'))
    expect(viewers(await service.search(query('words'), bob))).toEqual([
      ['101', { liked: false, retweeted: false }],
      ['100', { liked: false, retweeted: false }],
    ])
  })

  it('asks once per page, for the page\'s tweets only, and not at all without a reader or for accounts', async () => {
    const { service, index, engagementQueries } = setup()
    await index(registered(ada, 'ada'))
    for (let i = 0; i < 3; i++) await index(tweeted(String(100 + i), ada, 'paged words'))
    const first = await service.search(query('paged', { limit: 2 }), bob)
    await service.search(query('paged', { limit: 2, cursor: first.next_cursor! }), bob)
    await service.search(query('paged'), null)
    const [account] = (await service.search(query('ada', { type: 'users' }), bob)).items
    expect(account).not.toHaveProperty('viewer')
    expect(engagementQueries).toEqual([{ userId: bob, tweetIds: ['102', '101'] }, { userId: bob, tweetIds: ['100'] }])
  })
})

describe('accounts and hashtags', () => {
  it('puts the exact username first, then username prefixes, then display names, page by page', async () => {
    const { service, index } = setup()
    await index(registered('21', 'nina_longer', 'Longer'), registered('22', 'nina', 'Exact'), registered('23', 'zed', 'Called nina'), registered('24', 'other'))
    const all = await service.search(query('@NINA', { type: 'users' }), null)
    expect(all).toEqual({
      items: [{ id: '22', username: 'nina', display_name: 'Exact', avatar_url: null }, { id: '21', username: 'nina_longer', display_name: 'Longer', avatar_url: null }, { id: '23', username: 'zed', display_name: 'Called nina', avatar_url: null }],
      next_cursor: null,
    })
    const first = await service.search(query('nina', { type: 'users', limit: 2 }), null)
    const second = await service.search(query('nina', { type: 'users', limit: 2, cursor: first.next_cursor! }), null)
    expect([...ids(first), ...ids(second)]).toEqual(ids(all))
    expect(second.next_cursor).toBeNull()
  })

  it('lists tags by prefix with the live tweets using each, most used first, page by page', async () => {
    const { service, index } = setup()
    await index(tweeted('100', ada, '#rustpopular one'), tweeted('101', ada, '#rustpopular and #rustrare'), tweeted('102', ada, '#rustpopular #rustpopular twice'), tweeted('103', ada, '#otherrust'))
    expect(await service.search(query('#RUST', { type: 'hashtags' }), null)).toEqual({ items: [{ tag: 'rustpopular', count: 3 }, { tag: 'rustrare', count: 1 }], next_cursor: null })
    const first = await service.search(query('rust', { type: 'hashtags', limit: 1 }), null)
    expect(first.items).toEqual([{ tag: 'rustpopular', count: 3 }])
    expect(await service.search(query('rust', { type: 'hashtags', limit: 1, cursor: first.next_cursor! }), null)).toEqual({ items: [{ tag: 'rustrare', count: 1 }], next_cursor: null })
  })
})

describe('refusals', () => {
  it('refuses a query it cannot search with 400 and its code, naming the field q', async () => {
    const { service } = setup()
    for (const [q, type, code] of [
      [' \t ', 'tweets', 'SEARCH_QUERY_EMPTY'],
      [Array.from({ length: 17 }, (_, i) => `t${i}`).join(' '), 'tweets', 'SEARCH_QUERY_TOO_COMPLEX'],
      ['from:ada from:bob', 'tweets', 'SEARCH_QUERY_INVALID'],
      ['ab.*', 'hashtags', 'SEARCH_QUERY_INVALID'],
      ['x'.repeat(201), 'users', 'SEARCH_QUERY_TOO_LONG'],
    ] as const) {
      const error = await failure(service.search(query(q, { type }), null))
      expect(error, code).toMatchObject({ status: 400, code, errors: [{ field: 'q', message: expect.any(String) }] })
    }
  })

  it('refuses cursors it did not give out with 400 INVALID_CURSOR', async () => {
    const { service } = setup()
    for (const [type, cursor] of [
      ['tweets', encodeCursor([1, 2, 3])],
      ['tweets', encodeCursor([1, 'score', '1'])],
      ['users', encodeCursor(['score', { id: 1 }])],
      ['hashtags', encodeCursor([5000])],
      ['hashtags', 'garbage'],
    ] as const) {
      expect(await failure(service.search(query('x', { type, cursor }), null)), `${type} ${cursor}`).toMatchObject({ status: 400, code: 'INVALID_CURSOR' })
    }
  })

  it('answers 503 SEARCH_UNAVAILABLE with Retry-After while Elasticsearch or its indices are away, and lets a bug through as itself', async () => {
    const repositories = createMemoryRepositories()
    const failWith = (error: unknown) => createSearchService({ ...repositories, tweets: { ...repositories.tweets, search: async () => { throw error } } })
    for (const away of [new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'), Object.assign(new Error('no such index'), { body: { error: { type: 'index_not_found_exception' } } })]) {
      expect(await failure(failWith(away).search(query('x'), null))).toMatchObject({ status: 503, code: 'SEARCH_UNAVAILABLE', headers: { 'retry-after': '5' } })
    }
    const bug = new TypeError('undefined is not a function')
    expect(await failure(failWith(bug).search(query('x'), null))).toBe(bug)
  })
})
