import { describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { uniqueWord, untilSearch } from './search-client.ts'

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
    expect(page.items[0]).toEqual({ id: exact, username: base, display_name: 'Exact' })
  })

  it('finds an account by @username', async () => {
    const account = await newAccount('at')
    await untilSearch({ q: `@${account.username}`, type: 'users' }, (ids) => ids[0] === account.id, 'the account')
  })
})
