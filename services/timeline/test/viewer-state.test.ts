import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { timeline, timelineIds, timelineService, untilTimeline } from './fixtures/service.ts'

type Item = { id: string; retweeted_by: { id: string } | null; viewer?: { liked: boolean; retweeted: boolean } }
const none = { liked: false, retweeted: false }

/** Each item of the reader's first page as [tweet id, retweeter id, viewer]. */
async function states(reader: Account) {
  const page = await timeline(reader)
  expect(page.status, JSON.stringify(page.body)).toBe(200)
  return (page.body.items as Item[]).map((item) => [item.id, item.retweeted_by?.id ?? null, item.viewer])
}

/** Waits until the reader's page shows `expected` (likes and retweets reach the timeline by events). */
const untilStates = (reader: Account, expected: unknown[], what: string) =>
  waitFor(async () => isDeepStrictEqual(await states(reader), expected), { what, timeoutMs: 20_000 })

async function engage(who: Account, method: 'POST' | 'DELETE', action: 'like' | 'retweet', tweetId: string) {
  const response = await gateway(`/tweets/${tweetId}/${action}`, { method, token: who.token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
}

describe('the reader\'s own state of each tweet in a home timeline', () => {
  it('comes only with the owner\'s token: without one the read is refused, with no items', async () => {
    const reader = await newAccount('reader')
    const response = await timelineService.request(`/timelines/${reader.id}`)
    expect(response.status).toBe(401)
    expect(response.body).not.toHaveProperty('items')
  })

  it('says whether the reader likes and has retweeted each tweet (a retweet\'s is of the tweet retweeted), following likes, retweets and their undoing', async () => {
    const [reader, friend, author] = await Promise.all([newAccount('reader'), newAccount('friend'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, friend)
    const own = await post(friend, 'by a followee')
    const shared = await post(author, 'retweeted into the timeline')
    await engage(friend, 'POST', 'retweet', shared.id)
    await untilTimeline(reader, (ids) => ids.length === 2, 'the tweet and the retweet')
    expect(await states(reader)).toEqual([[shared.id, friend.id, none], [own.id, null, none]])

    await engage(reader, 'POST', 'like', shared.id)
    await engage(reader, 'POST', 'retweet', own.id)
    // Someone else's like is not the reader's.
    await engage(author, 'POST', 'like', own.id)
    await untilStates(reader, [
      [own.id, reader.id, { liked: false, retweeted: true }],
      [shared.id, friend.id, { liked: true, retweeted: false }],
      [own.id, null, { liked: false, retweeted: true }],
    ], 'the reader\'s like and retweet')

    await engage(reader, 'DELETE', 'like', shared.id)
    await engage(reader, 'DELETE', 'retweet', own.id)
    await untilStates(reader, [[shared.id, friend.id, none], [own.id, null, none]], 'the like and the retweet undone')
  })
})
