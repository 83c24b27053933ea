import type { estypes } from '@elastic/elasticsearch'
import { describe, expect, it } from 'vitest'
import { AppError } from '@starling/shared/errors'
import { buildTweetSearch, escapeHtml, parseTweetQuery, type TweetQuery } from './tweet-query.ts'

const rejects = (q: string, code: string) => {
  let caught: unknown
  try {
    parseTweetQuery(q)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(AppError)
  expect(caught).toMatchObject({ status: 400, code })
}

/** The function_score part of a request. */
const scored = (request: ReturnType<typeof buildTweetSearch>) => request.query!.function_score as estypes.QueryDslFunctionScoreQuery

const options = (query: TweetQuery) => ({ query, authorId: null, hiddenAuthorIds: [], viewerId: null, origin: Date.parse('2026-01-02T00:00:00Z'), size: 21, highlight: false })

describe('parseTweetQuery', () => {
  it('splits words, #tags and from:', () => {
    expect(parseTweetQuery('  rust  #Async from:Ada is #fun ')).toEqual({ text: 'rust is', hashtags: ['async', 'fun'], from: 'ada' })
  })

  it('takes from:@name and repeats of the same author', () => {
    expect(parseTweetQuery('from:@Ada FROM:ada')).toEqual({ text: '', hashtags: [], from: 'ada' })
  })

  it('refuses two different authors and from: without a username', () => {
    rejects('from:ada from:bob', 'SEARCH_QUERY_INVALID')
    rejects('from:', 'SEARCH_QUERY_INVALID')
    rejects('from:a*', 'SEARCH_QUERY_INVALID')
  })

  it('treats what is not a hashtag as words: digits alone, a lone #, punctuation', () => {
    expect(parseTweetQuery('#1 # #rust!')).toEqual({ text: '#1 # #rust!', hashtags: [], from: null })
  })

  it('takes hashtags in any script, lower-cased', () => {
    expect(parseTweetQuery('#Привет #日本')).toEqual({ text: '', hashtags: ['привет', '日本'], from: null })
  })

  it('bounds the query: terms, length, control characters, emptiness', () => {
    rejects(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '), 'SEARCH_QUERY_TOO_COMPLEX')
    rejects('x'.repeat(201), 'SEARCH_QUERY_TOO_LONG')
    rejects('nul\u0000here', 'SEARCH_QUERY_INVALID')
    rejects(' \t\n ', 'SEARCH_QUERY_EMPTY')
    expect(parseTweetQuery(Array.from({ length: 16 }, (_, i) => `w${i}`).join(' ')).text.split(' ')).toHaveLength(16)
  })
})

describe('buildTweetSearch', () => {
  it('passes query syntax through as plain text to match, never as DSL', () => {
    const body = JSON.stringify(buildTweetSearch(options(parseTweetQuery('title:x OR (y* AND "z") \\ ~1'))))
    expect(body).not.toContain('query_string')
    expect(body).not.toContain('wildcard')
    expect(body).not.toContain('regexp')
    const request = buildTweetSearch(options(parseTweetQuery('title:x OR y*')))
    expect(JSON.stringify(request.query)).toContain('"match":{"text":{"query":"title:x OR y*"')
  })

  it('filters live tweets, every #tag, the author, and leaves out hidden authors', () => {
    const request = buildTweetSearch({ ...options(parseTweetQuery('#a #b word')), authorId: '42', hiddenAuthorIds: ['7', '8'] })
    const bool = scored(request).query!.bool!
    expect(bool.filter).toEqual([{ term: { deleted: false } }, { term: { hashtags: 'a' } }, { term: { hashtags: 'b' } }, { term: { author_id: '42' } }])
    expect(bool.must_not).toEqual([{ terms: { author_id: ['7', '8'] } }])
  })

  it('scores operators alone by recency only', () => {
    const request = buildTweetSearch(options(parseTweetQuery('#a')))
    expect(scored(request).query!.bool!.must).toEqual([{ match_all: {} }])
    expect(request.highlight).toBeUndefined()
  })

  it('multiplies relevance by a decay from the origin it was given, so later pages score alike', () => {
    const fn = scored(buildTweetSearch(options(parseTweetQuery('word'))))
    expect(fn.boost_mode).toBe('multiply')
    expect(fn.functions![0]!.exp).toMatchObject({ created_at: { origin: '2026-01-02T00:00:00.000Z' } })
  })

  it('continues after the last hit and asks one more than a page to know if there is a next', () => {
    const request = buildTweetSearch({ ...options(parseTweetQuery('word')), after: [1.5, '99'] })
    expect(request.search_after).toEqual([1.5, '99'])
    expect(request.sort).toEqual([{ _score: { order: 'desc' } }, { tweet_id: { order: 'desc' } }])
    expect(request.size).toBe(21)
  })

  it('sends every page of one search to the same shard copies, named by the origin the cursor keeps', () => {
    const first = buildTweetSearch(options(parseTweetQuery('word')))
    const next = buildTweetSearch({ ...options(parseTweetQuery('word')), after: [1.5, '99'] })
    expect(first.preference).toBe(next.preference)
    expect(buildTweetSearch({ ...options(parseTweetQuery('word')), origin: 1 }).preference).not.toBe(first.preference)
  })

  it('sends every search of one signed-in searcher to the same shard copies, whenever it began', () => {
    const mine = buildTweetSearch({ ...options(parseTweetQuery('word')), viewerId: '7' })
    expect(buildTweetSearch({ ...options(parseTweetQuery('other')), viewerId: '7', origin: 1 }).preference).toBe(mine.preference)
    expect(buildTweetSearch({ ...options(parseTweetQuery('word')), viewerId: '8' }).preference).not.toBe(mine.preference)
  })

  it('highlights the words and tags, HTML-escaped, only when asked', () => {
    const request = buildTweetSearch({ ...options(parseTweetQuery('two words #tag')), highlight: true })
    expect(request.highlight).toMatchObject({ encoder: 'html', pre_tags: ['<em>'], highlight_query: { match: { text: 'two words tag' } } })
  })
})

describe('escapeHtml', () => {
  it('escapes as the highlighter does', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;&#x2F;a&gt;')
  })
})
