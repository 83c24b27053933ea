import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { follow, post, timeline } from '../setup/social.ts'

interface Item { id: string; [field: string]: unknown }
const find = (items: Item[] | undefined, id: string) => items?.find((item) => item.id === id)

// Three services answer with tweets: the tweet service (one tweet, an author's list, replies), the
// timeline service (home timelines) and the search service. They answer with one schema, so a
// client reads a tweet the same wherever it meets it; each place adds only its own field
// (retweeted_by in a timeline). With a token, each also says what the reader did to it (viewer).
describe('one tweet, wherever it is read', () => {
  it('is the same JSON, the reader\'s own state included, through GET /tweets/{id}, a home timeline, the author\'s tweets, the replies and search', async () => {
    const [author, reader, fan] = await Promise.all([newAccount('author'), newAccount('reader'), newAccount('fan')])
    await follow(reader, author)
    const word = `w${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const root = await post(author, `the start of a thread ${word}`)
    const reply = await post(author, `@${fan.username} a reply with #${word} and ${word}`, { reply_to_id: root.id })
    expect((await gateway(`/tweets/${reply.id}/like`, { method: 'POST', token: fan.token })).status).toBe(200)
    expect((await gateway(`/tweets/${reply.id}/like`, { method: 'POST', token: reader.token })).status).toBe(200)

    const one = await waitFor(async () => {
      const response = await gateway(`/tweets/${reply.id}`, { token: reader.token })
      return response.body.like_count === 2 ? response.body as Item : undefined
    }, { what: 'the likes counted' })
    expect(one).toMatchObject({
      reply_to_id: root.id, conversation_id: root.id, mentions: [{ user_id: fan.id, username: fan.username }], hashtags: [word],
      viewer: { liked: true, retweeted: false },
    })
    // Without a token the same tweet, and nothing about anyone's own state.
    const { viewer: _viewer, ...anonymous } = one
    expect((await gateway(`/tweets/${reply.id}`)).body).toEqual(anonymous)
    expect((await gateway(`/tweets/${reply.id}`, { token: fan.token })).body).toEqual({ ...anonymous, viewer: { liked: true, retweeted: false } })
    expect((await gateway(`/tweets/${reply.id}`, { token: author.token })).body).toEqual({ ...anonymous, viewer: { liked: false, retweeted: false } })

    const everywhere = {
      'the home timeline': async () => {
        const item = find((await timeline(reader)).body.items, reply.id)
        if (!item) return undefined
        const { retweeted_by: retweetedBy, ...tweet } = item
        expect(retweetedBy).toBeNull()
        return tweet
      },
      'the author\'s tweets': async () => find((await gateway(`/users/${author.id}/tweets`, { token: reader.token })).body.items, reply.id),
      'the replies': async () => find((await gateway(`/tweets/${root.id}/replies`, { token: reader.token })).body.items, reply.id),
      'search': async () => find((await gateway(`/search/?q=${word}`, { token: reader.token })).body.items, reply.id),
    }
    for (const [where, read] of Object.entries(everywhere)) {
      // Each place learns of the tweet and its like through the events: wait until it agrees, or time out with the difference.
      let last: unknown
      await waitFor(async () => {
        last = await read()
        return isDeepStrictEqual(last, one)
      }, { timeoutMs: 20_000, what: `${where} to show the tweet as GET /tweets/{id} does` }).catch(() => undefined)
      expect(last, where).toEqual(one)
    }
  })
})
