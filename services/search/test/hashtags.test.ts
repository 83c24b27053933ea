import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { post } from '../../../test/setup/social.ts'
import { search, uniqueWord } from './search-client.ts'

describe('searching hashtags', () => {
  it('lists tags by prefix with the number of live tweets using each, most used first', async () => {
    const author = await newAccount('author')
    const prefix = uniqueWord('h')
    const [popular, rare] = [`${prefix}popular`, `${prefix}rare`]
    await post(author, `#${popular} one`)
    await post(author, `#${popular} and #${rare}`)
    const third = await post(author, `#${popular} #${popular} said twice, counted once`)
    await post(author, `#other${prefix} does not start with it`)
    const expected = [{ tag: popular, count: 3 }, { tag: rare, count: 1 }]
    await waitFor(async () => JSON.stringify((await search({ q: `#${prefix}`, type: 'hashtags' })).body.items) === JSON.stringify(expected),
      { what: 'both tags counted' })
    expect((await search({ q: prefix.toUpperCase(), type: 'hashtags' })).body).toEqual({ items: expected, next_cursor: null })

    expect((await gateway(`/tweets/${third.id}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    await waitFor(async () => (await search({ q: `#${prefix}`, type: 'hashtags' })).body.items[0]?.count === 2, { what: 'the deleted tweet uncounted' })
  })

  it('pages through tags', async () => {
    const author = await newAccount('author')
    const prefix = uniqueWord('p')
    await post(author, `#${prefix}a #${prefix}b #${prefix}c`)
    await waitFor(async () => (await search({ q: prefix, type: 'hashtags' })).body.items.length === 3, { what: 'three tags' })
    const first = await search({ q: prefix, type: 'hashtags', limit: 2 })
    expect(first.body.items.map((i: { tag: string }) => i.tag)).toEqual([`${prefix}a`, `${prefix}b`])
    const second = await search({ q: prefix, type: 'hashtags', limit: 2, cursor: first.body.next_cursor })
    expect(second.body).toEqual({ items: [{ tag: `${prefix}c`, count: 1 }], next_cursor: null })
  })
})
