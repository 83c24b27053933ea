import { errors } from '@elastic/elasticsearch'
import { describe, expect, it } from 'vitest'
import { encodeCursor } from '@starling/shared/http'
import type { TweetSearchHit } from '../tweets/tweet-search.repository.ts'
import { createSearchService } from './search.service.ts'
import type { SearchQuery } from './search.schemas.ts'

const hit = (id: string, score: number): TweetSearchHit => ({
  document: {
    tweet_id: id, author_id: '9', text: `tweet ${id}`, hashtags: [], mentions: [], conversation_id: id,
    reply_to_id: null, quote_of_id: null, created_at: '2026-01-01T00:00:00.000Z', deleted: false,
  },
  highlight: undefined,
  sort: [score, id],
})

function service(options: { hits?: TweetSearchHit[]; authorId?: string; fail?: Error; now?: () => number } = {}) {
  const searches: { origin: number; after?: unknown }[] = []
  const svc = createSearchService({
    users: {
      idOf: async () => options.authorId,
      byIds: async () => new Map([['9', { id: '9', username: 'ada', display_name: 'Ada' }]]),
    },
    tweets: {
      search: async (request: { query: { function_score: { functions: { exp: { created_at: { origin: string } } }[] } }; search_after?: unknown; size: number }) => {
        if (options.fail) throw options.fail
        searches.push({ origin: Date.parse(request.query.function_score.functions[0]!.exp.created_at.origin), after: request.search_after })
        return (options.hits ?? []).slice(0, request.size)
      },
      replyCounts: async () => new Map([['1', 2]]),
    },
    counts: { of: async () => new Map([['1', { like: 3, retweet: 1 }]]) },
    hashtags: { top: async () => [] },
    relations: { hiddenFrom: async () => [] },
    ...(options.now ? { now: options.now } : {}),
  } as unknown as Parameters<typeof createSearchService>[0])
  return { svc, searches }
}

const query = (q: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({ q, type: 'tweets', highlight: false, limit: 20, ...extra })

describe('createSearchService', () => {
  it('joins each tweet with its author and counts', async () => {
    const { svc } = service({ hits: [hit('1', 2)] })
    const page = await svc.search(query('tweet'), null)
    expect(page.items[0]).toMatchObject({ id: '1', author: { id: '9', username: 'ada' }, like_count: 3, retweet_count: 1, reply_count: 2 })
    expect(page.next_cursor).toBeNull()
  })

  it('answers from: an unknown account with an empty page, without searching tweets', async () => {
    const { svc, searches } = service({ hits: [hit('1', 2)] })
    expect(await svc.search(query('from:nobody'), null)).toEqual({ items: [], next_cursor: null })
    expect(searches).toEqual([])
  })

  it('keeps the recency origin of the first page for the next ones', async () => {
    let clock = 1_000_000
    const { svc, searches } = service({ hits: [hit('3', 3), hit('2', 2), hit('1', 1)], now: () => clock })
    const first = await svc.search(query('tweet', { limit: 2 }), null)
    clock += 60_000
    await svc.search(query('tweet', { limit: 2, cursor: first.next_cursor! }), null)
    expect(searches.map((s) => s.origin)).toEqual([1_000_000, 1_000_000])
    expect(searches[1]!.after).toEqual([2, '2'])
  })

  it('refuses cursors it did not give out', async () => {
    const { svc } = service()
    await expect(svc.search(query('x', { cursor: encodeCursor([1, 2, 3]) }), null)).rejects.toMatchObject({ status: 400, code: 'INVALID_CURSOR' })
    await expect(svc.search(query('x', { type: 'hashtags', cursor: encodeCursor([5000]) }), null)).rejects.toMatchObject({ status: 400, code: 'INVALID_CURSOR' })
  })

  it('answers 503 with Retry-After while Elasticsearch is away', async () => {
    const { svc } = service({ fail: new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200') })
    await expect(svc.search(query('x'), null)).rejects.toMatchObject({ status: 503, code: 'SEARCH_UNAVAILABLE', headers: { 'retry-after': '5' } })
  })
})
