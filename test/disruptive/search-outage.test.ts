import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { elasticsearch } from '../../scripts/stack/components/elasticsearch.ts'
import { newAccount } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { post } from '../setup/social.ts'

const searchFor = (word: string) => gateway(`/search/?q=${word}`)
const found = async (word: string, id: string) => {
  const response = await searchFor(word)
  return response.status === 200 && response.body.items.some((item: { id: string }) => item.id === id)
}

// Stops the stack's Elasticsearch (a local process; see scripts/stack), so this runs on the local stack.
describe('Elasticsearch outage', () => {
  it('answers search with 503 and Retry-After, keeps the rest working, and indexes what it missed once back', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const word = `w${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const warmup = await post(author, `${word} before the outage`)
    await waitFor(() => found(word, warmup.id), { timeoutMs: 20_000, what: 'the warm-up tweet in search' })

    await elasticsearch.stop()
    try {
      for (const type of ['tweets', 'users', 'hashtags']) {
        const response = await gateway(`/search/?q=${word}&type=${type}`)
        expect(response.status, type).toBe(503)
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
        expect(response.body).toMatchObject({ status: 503, code: 'SEARCH_UNAVAILABLE' })
      }
      const during = [await post(author, `${word} during the outage`), await post(author, `${word} also during it`)]
      expect((await gateway(`/tweets/${during[0]!.id}/like`, { method: 'POST', token: fan.token })).status).toBe(200)
      expect((await gateway(`/tweets/${during[0]!.id}`)).status).toBe(200)
      expect((await gateway(`/users/${author.id}`)).status).toBe(200)

      await elasticsearch.start()
      await elasticsearch.ready()
      await waitFor(async () => (await Promise.all(during.map((t) => found(word, t.id)))).every(Boolean),
        { timeoutMs: 90_000, what: 'the tweets posted during the outage in search' })
      await waitFor(async () => (await searchFor(word)).body.items.find((i: { id: string }) => i.id === during[0]!.id)?.like_count === 1,
        { timeoutMs: 30_000, what: 'the like made during the outage' })
    } finally {
      await elasticsearch.start()
      await elasticsearch.ready()
    }
  })
})
