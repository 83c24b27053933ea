import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { encodeCursor } from '@starling/shared/http'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { post } from '../../../test/setup/social.ts'
import { search, searchIds, uniqueWord, untilSearch } from './search-client.ts'

describe('searching tweets', () => {
  it('finds a new tweet within 2 s, as a full tweet with its author, by default type', async () => {
    const author = await newAccount('author')
    const word = uniqueWord()
    const tweet = await post(author, `hello ${word} #greeting`)
    const body = await untilSearch({ q: word }, (ids) => ids.includes(tweet.id), 'the new tweet', { timeoutMs: 2000 })
    expect(body).toEqual({
      items: [{
        id: tweet.id, text: `hello ${word} #greeting`, created_at: expect.any(String),
        author: { id: author.id, username: author.username, display_name: author.username, avatar_url: null },
        conversation_id: tweet.id, reply_to_id: null, quote_of_id: null, mentions: [], hashtags: ['greeting'], media: [],
        like_count: 0, retweet_count: 0, reply_count: 0,
      }],
      next_cursor: null,
    })
  })

  it('stops matching a deleted tweet within 2 s', async () => {
    const author = await newAccount('author')
    const word = uniqueWord()
    const [kept, deleted] = [await post(author, `${word} kept`), await post(author, `${word} deleted`)]
    await untilSearch({ q: word }, (ids) => ids.length === 2, 'both tweets')
    expect((await gateway(`/tweets/${deleted.id}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    await untilSearch({ q: word }, (ids) => ids.length === 1 && ids[0] === kept.id, 'only the kept tweet', { timeoutMs: 2000 })
  })

  it('carries like, retweet and reply counts as they change, and the author as renamed', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const word = uniqueWord()
    const tweet = await post(author, `count me ${word}`)
    await gateway(`/tweets/${tweet.id}/like`, { method: 'POST', token: fan.token })
    await gateway(`/tweets/${tweet.id}/retweet`, { method: 'POST', token: fan.token })
    await post(fan, 'a reply', { reply_to_id: tweet.id })
    await gateway('/users/me', { method: 'PATCH', token: author.token, body: { display_name: 'Renamed Author' } })
    await waitFor(async () => {
      const [item] = (await search({ q: word })).body.items
      return item?.like_count === 1 && item.retweet_count === 1 && item.reply_count === 1 && item.author.display_name === 'Renamed Author'
    }, { what: 'the counts and the new name' })
    await gateway(`/tweets/${tweet.id}/like`, { method: 'DELETE', token: fan.token })
    await waitFor(async () => (await search({ q: word })).body.items[0]?.like_count === 0, { what: 'the like taken back' })
  })

  it('ranks closer matches first and, among equal ones, newer first', async () => {
    const author = await newAccount('author')
    const [a, b] = [uniqueWord('a'), uniqueWord('b')]
    const phrase = await post(author, `${a} ${b} together`)
    const apart = await post(author, `${b} stands far away from ${a}`)
    const older = await post(author, `${a} alone`)
    const newer = await post(author, `${a} alone`)
    const both = await untilSearch({ q: `${a} ${b}` }, (ids) => ids.length === 2, 'the two tweets with both words')
    expect(both.items.map((i: { id: string }) => i.id)).toEqual([phrase.id, apart.id])
    const alone = await untilSearch({ q: `${a} alone` }, (ids) => ids.length === 2, 'the two equal tweets')
    expect(alone.items.map((i: { id: string }) => i.id)).toEqual([newer.id, older.id])
  })

  it('matches #tag against hashtags only, and narrows to an author with from:', async () => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    const tag = uniqueWord('t')
    const adaTagged = await post(ada, `about #${tag}`)
    const bobTagged = await post(bob, `me too #${tag.toUpperCase()}`)
    const adaWord = await post(ada, `the word ${tag} without the hash`)
    await untilSearch({ q: tag }, (ids) => ids.length === 3, 'all three by the word')
    expect((await searchIds({ q: `#${tag}` })).sort()).toEqual([adaTagged.id, bobTagged.id].sort())
    // from: finds the username in the accounts index, which follows its own topic: it may come later.
    await untilSearch({ q: `#${tag} from:${ada.username}` }, (ids) => ids.length === 1, 'the author indexed')
    expect(await searchIds({ q: `#${tag} from:${ada.username}` })).toEqual([adaTagged.id])
    expect((await searchIds({ q: `from:${ada.username.toUpperCase()} ${tag}` })).sort()).toEqual([adaTagged.id, adaWord.id].sort())
    expect(await searchIds({ q: `from:nobody_${tag.slice(0, 10)}` })).toEqual([])
  })

  it('highlights the matched words on request, HTML-escaped', async () => {
    const author = await newAccount('author')
    const word = uniqueWord()
    const tweet = await post(author, `<b>Bold</b> & ${word} #${word}x`)
    await untilSearch({ q: word }, (ids) => ids.includes(tweet.id), 'the tweet')
    expect((await search({ q: word })).body.items[0].highlight).toBeUndefined()
    const [item] = (await search({ q: word, highlight: true })).body.items
    expect(item.highlight).toBe(`&lt;b&gt;Bold&lt;&#x2F;b&gt; &amp; <em>${word}</em> #${word}x`)
    const [tagged] = (await search({ q: `#${word}x`, highlight: true })).body.items
    expect(tagged.highlight).toContain(`#<em>${word}x</em>`)
  })

  // As a signed-in searcher: once their search found all five, every later page and search asks
  // the same shard copies (on the cluster, a replica refreshing later would otherwise drop one).
  it('pages through results with next_cursor, without repeats or gaps', async () => {
    const [author, reader] = await Promise.all([newAccount('author'), newAccount('reader')])
    const word = uniqueWord()
    const posted: string[] = []
    for (let i = 0; i < 5; i++) posted.push((await post(author, `${word} number ${i}`)).id)
    const all = await untilSearch({ q: word, limit: 10 }, (ids) => ids.length === 5, 'all five', { viewer: reader })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await search({ q: word, limit: 2, ...(cursor ? { cursor } : {}) }, reader)
      expect(page.status).toBe(200)
      seen.push(...page.body.items.map((i: { id: string }) => i.id))
      cursor = page.body.next_cursor
    } while (cursor)
    // Equal text: newest first, on every page alike.
    expect(seen).toEqual([...posted].reverse())
    expect(all.items.map((i: { id: string }) => i.id)).toEqual(seen)
  })
})

describe('query hygiene', () => {
  it.each([
    ['a query over 200 characters', { q: 'x'.repeat(201) }, 'VALIDATION_FAILED'],
    ['more than 16 terms', { q: Array.from({ length: 17 }, (_, i) => `t${i}`).join(' ') }, 'SEARCH_QUERY_TOO_COMPLEX'],
    ['two authors', { q: 'from:ada from:bob' }, 'SEARCH_QUERY_INVALID'],
    ['a hashtag prefix with regex characters', { q: 'ab.*', type: 'hashtags' }, 'SEARCH_QUERY_INVALID'],
    ['an unknown type', { q: 'x', type: 'everything' }, 'VALIDATION_FAILED'],
    ['a cursor not given out', { q: 'x', cursor: 'bm9wZQ' }, 'INVALID_CURSOR'],
    // Of the right length, the wrong parts: checked before they reach Elasticsearch's search_after.
    ['a users cursor of other parts', { q: 'x', type: 'users', cursor: encodeCursor(['score', { id: 1 }]) }, 'INVALID_CURSOR'],
    ['a tweets cursor of other parts', { q: 'x', cursor: encodeCursor([1, 'score', '1']) }, 'INVALID_CURSOR'],
    ['a hashtags cursor past the list', { q: 'x', type: 'hashtags', cursor: encodeCursor([100_000]) }, 'INVALID_CURSOR'],
    ['a limit over 100', { q: 'x', limit: 101 }, 'VALIDATION_FAILED'],
  ])('answers %s with 400 problem+json', async (_, params, code) => {
    const response = await search(params)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(response.body.code).toBe(code)
  })

  it('searches query syntax as plain words', async () => {
    const author = await newAccount('author')
    const word = uniqueWord()
    const tweet = await post(author, `${word} plain`)
    await untilSearch({ q: word }, (ids) => ids.includes(tweet.id), 'the tweet')
    expect(await searchIds({ q: `${word} OR (*:*)` })).toEqual([])
    expect(await searchIds({ q: `text:${word}` })).toEqual([])
    expect((await search({ q: `"${word}" \\ ~ ^ {}` })).status).toBe(200)
  })
})
