import { describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { search, uniqueWord, untilSearch } from './search-client.ts'

describe('searching accounts', () => {
  it('puts the exact username first, then username prefixes, then display names', async () => {
    const base = uniqueWord('n')
    const register = async (username: string, display_name: string) => {
      const response = await gateway('/users/register', { body: { username, email: `${username}@example.com`, password: 'correct horse battery', display_name } })
      expect(response.status).toBe(201)
      return response.body.id as string
    }
    const longer = await register(`${base}_longer`, 'Longer')
    const exact = await register(base, 'Exact')
    const byName = await register(uniqueWord('x'), `Called ${base}`)
    const page = await untilSearch({ q: base.toUpperCase(), type: 'users' }, (ids) => ids.length === 3, 'the three accounts')
    expect(page.items.map((u: { id: string }) => u.id)).toEqual([exact, longer, byName])
    expect(page.items[0]).toEqual({ id: exact, username: base, display_name: 'Exact', avatar_url: null })
  })

  it('pages through accounts with next_cursor, without repeats or gaps', async () => {
    const base = uniqueWord('p')
    const ids: string[] = []
    for (const suffix of ['a', 'b', 'c']) {
      const response = await gateway('/users/register', { body: { username: `${base}_${suffix}`, email: `${base}${suffix}@example.com`, password: 'correct horse battery' } })
      ids.push(response.body.id as string)
    }
    const all = await untilSearch({ q: base, type: 'users' }, (found) => found.length === 3, 'the three accounts')
    const first = await search({ q: base, type: 'users', limit: 2 })
    expect(first.body.items).toHaveLength(2)
    const second = await search({ q: base, type: 'users', limit: 2, cursor: first.body.next_cursor })
    expect(second.status).toBe(200)
    expect(second.body.next_cursor).toBeNull()
    expect([...first.body.items, ...second.body.items].map((u: { id: string }) => u.id)).toEqual(all.items.map((u: { id: string }) => u.id))
    expect(all.items.map((u: { id: string }) => u.id).toSorted()).toEqual(ids.toSorted())
  })

  it('finds an account by @username', async () => {
    const account = await newAccount('at')
    await untilSearch({ q: `@${account.username}`, type: 'users' }, (ids) => ids[0] === account.id, 'the account')
  })
})
