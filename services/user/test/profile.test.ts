import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { user } from './fixtures/service.ts'

describe('GET /users/me', () => {
  it('shows your own email, and nobody else sees it', async () => {
    const account = await newAccount()
    const mine = await user.request('/users/me', { token: account.token })
    expect(mine.status).toBe(200)
    expect(mine.body).toMatchObject({ id: account.id, username: account.username, email: account.email })
    const theirs = await user.request(`/users/${account.id}`, { token: (await newAccount()).token })
    expect(theirs.body).not.toHaveProperty('email')
    expect(JSON.stringify(theirs.body)).not.toContain(account.email)
  })
})

describe('GET /users/{user_id}', () => {
  it.each(['9223372036854775808', '18446744073709551615', '99999999999999999999'])('answers %s, past 64 bits, with 400 like any id that cannot exist', async (id) => {
    const response = await user.request(`/users/${id}`)
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'user_id' }] })
    expect((await user.request('/users/9223372036854775807')).status).toBe(404)
  })
})

describe('PATCH /users/me', () => {
  it('changes display name and bio, and the public profile shows them', async () => {
    const account = await newAccount()
    const response = await user.request('/users/me', { method: 'PATCH', token: account.token, body: { display_name: '  Ada L.  ', bio: 'Counting engines.' } })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ display_name: 'Ada L.', bio: 'Counting engines.' })
    expect((await user.request(`/users/${account.id}`)).body).toMatchObject({ display_name: 'Ada L.', bio: 'Counting engines.' })
  })

  it('carries the change to search through user.updated', async () => {
    const account = await newAccount()
    const name = `Renamed ${account.username.slice(2)}`
    await user.request('/users/me', { method: 'PATCH', token: account.token, body: { display_name: name } })
    await waitFor(async () => {
      const page = await gateway(`/search/?type=users&q=${encodeURIComponent(account.username)}`)
      return page.body.items?.find((u: { id: string; display_name: string }) => u.id === account.id && u.display_name === name)
    }, { timeoutMs: 20_000, what: 'the new display name in search' })
  })

  it.each([
    ['a 161-character bio', { bio: 'x'.repeat(161) }, 'bio'],
    ['an empty display name', { display_name: '' }, 'display_name'],
    ['a username change', { username: 'someone_else' }, 'username'],
    ['an email change', { email: 'x@example.com' }, 'email'],
    ['a NUL in the bio', { bio: 'before\u0000after' }, 'bio'],
    ['an unpaired surrogate in the bio', { bio: 'half \ud83d a smile' }, 'bio'],
    ['a NUL in the display name', { display_name: 'Ada\u0000' }, 'display_name'],
    ['an unpaired surrogate in the display name', { display_name: '\udc00Ada' }, 'display_name'],
  ])('rejects %s with 400', async (_case, body, field) => {
    const account = await newAccount()
    const response = await user.request('/users/me', { method: 'PATCH', token: account.token, body })
    expect(response.status).toBe(400)
    expect(response.body.code).toBe('VALIDATION_FAILED')
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field)
  })

  it('rejects an empty change and a request without a token', async () => {
    const account = await newAccount()
    expect((await user.request('/users/me', { method: 'PATCH', token: account.token, body: {} })).status).toBe(400)
    expect((await user.request('/users/me', { method: 'PATCH', body: { bio: 'hi' } })).status).toBe(401)
  })
})

describe('GET /users/by-username/{username}', () => {
  it('finds a profile by username in any case', async () => {
    const account = await newAccount()
    const response = await user.request(`/users/by-username/${account.username.toUpperCase()}`)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ id: account.id, username: account.username, followers_count: 0 })
  })

  it('answers 404 for an unknown username and 400 for an impossible one', async () => {
    expect((await user.request('/users/by-username/nobody_at_all_here')).status).toBe(404)
    expect((await user.request('/users/by-username/no%20spaces')).status).toBe(400)
  })
})
