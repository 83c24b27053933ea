import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { gateway } from '../setup/http.ts'

describe('walking skeleton: register → Kafka → Elasticsearch → search', () => {
  it('finds a newly registered user by username through the gateway', async () => {
    const username = `sk_${randomUUID().slice(0, 8)}`
    const registered = await gateway('/users/register', {
      body: { username, email: `${username}@example.com`, password: 'correct horse battery', display_name: 'Skeleton Key' },
    })
    expect(registered.status).toBe(201)
    const user = registered.body

    const hit = await waitFor(async () => {
      const response = await gateway(`/search/?q=${username}&type=users`)
      expect(response.status).toBe(200)
      return response.body.items.find((item: { id: string }) => item.id === user.id)
    }, { timeoutMs: 20_000, what: `${username} in search results` })
    expect(hit).toEqual({ id: user.id, username, display_name: 'Skeleton Key', avatar_url: null })
  })
})
