import { describe, expect, it } from 'vitest'
import { buildHashtagSearch, escapeRegex, parseHashtagPrefix } from './hashtag-query.ts'

describe('parseHashtagPrefix', () => {
  it('takes the start of a tag with or without #, lower-cased', () => {
    expect(parseHashtagPrefix('#RuSt')).toBe('rust')
    expect(parseHashtagPrefix(' ru ')).toBe('ru')
    expect(parseHashtagPrefix('日本')).toBe('日本')
  })

  it('refuses anything but one tag of tag characters', () => {
    for (const q of ['ru st', '#', 'ru*', 'a.b', '#x|y', 'x'.repeat(51)]) {
      expect(() => parseHashtagPrefix(q), q).toThrow(expect.objectContaining({ status: 400, code: 'SEARCH_QUERY_INVALID' }))
    }
  })
})

describe('escapeRegex', () => {
  it('escapes every character Lucene regular expressions treat specially', () => {
    expect(escapeRegex('a.b*c+d?e|f(g)h[i]j{k}l"m\\n#o@p&q<r>s~t')).toBe('a\\.b\\*c\\+d\\?e\\|f\\(g\\)h\\[i\\]j\\{k\\}l\\"m\\\\n\\#o\\@p\\&q\\<r\\>s\\~t')
    expect(escapeRegex('rust_2024')).toBe('rust_2024')
  })
})

describe('buildHashtagSearch', () => {
  it('counts live tweets by the tags that start with the prefix, most used first', () => {
    const request = buildHashtagSearch('ru', 21)
    expect(request.query).toEqual({ bool: { filter: [{ term: { deleted: false } }, { prefix: { hashtags: 'ru' } }] } })
    expect(request.aggs!.tags!.terms).toEqual({ field: 'hashtags', include: 'ru.*', size: 21, order: [{ _count: 'desc' }, { _key: 'asc' }] })
  })
})
