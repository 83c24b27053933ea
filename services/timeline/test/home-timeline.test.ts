import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { allPages, timeline, timelineIds, timelineService, untilTimeline } from './fixtures/service.ts'

describe('home timeline', () => {
  it('shows the tweets of people you follow and your own, newest first, as full tweets', async () => {
    const [reader, author, stranger] = await Promise.all([newAccount('reader'), newAccount('author'), newAccount('stranger')])
    await timelineIds(reader)
    await follow(reader, author)
    const first = await post(author, 'first #hello')
    const mine = await post(reader, 'my own')
    const second = await post(author, 'second')
    await post(stranger, 'not followed')
    const ids = await untilTimeline(reader, (ids) => ids.length === 3, 'three tweets')
    expect(ids).toEqual([second.id, mine.id, first.id])
    const page = await timeline(reader)
    expect(page.body.items[2]).toMatchObject({
      id: first.id, text: 'first #hello', hashtags: ['hello'], retweeted_by: null,
      author: { id: author.id, username: author.username }, like_count: 0, retweet_count: 0, reply_count: 0,
    })
  })

  it('adds a followee\'s earlier tweets on follow and takes them out on unfollow', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    const earlier = await post(author, 'before you followed')
    await timelineIds(reader)
    await follow(reader, author)
    await untilTimeline(reader, (ids) => ids.includes(earlier.id), 'the backfilled tweet')
    await gateway('/unfollow/', { token: reader.token, body: { user_id: author.id } })
    await untilTimeline(reader, (ids) => !ids.includes(earlier.id), 'the tweet gone after unfollow')
  })

  it('drops a deleted tweet and the tweets of someone you block or mute', async () => {
    const [reader, a, b, c] = await Promise.all([newAccount('reader'), newAccount('a'), newAccount('b'), newAccount('c')])
    await timelineIds(reader)
    await Promise.all([follow(reader, a), follow(reader, b), follow(reader, c)])
    const [ta, tb, tc] = [await post(a, 'from a'), await post(b, 'from b'), await post(c, 'from c')]
    await untilTimeline(reader, (ids) => [ta.id, tb.id, tc.id].every((id) => ids.includes(id)), 'all three')
    expect((await gateway(`/tweets/${ta.id}`, { method: 'DELETE', token: a.token })).status).toBe(204)
    await gateway('/block/', { token: reader.token, body: { user_id: b.id } })
    await gateway('/mute/', { token: reader.token, body: { user_id: c.id } })
    await untilTimeline(reader, (ids) => ids.length === 0, 'an empty timeline')
  })

  it('drops a cached tweet from the next read once deleted, where it came in as a retweet too, and shows its author\'s new name', async () => {
    const [reader, friend, stranger] = await Promise.all([newAccount('reader'), newAccount('friend'), newAccount('stranger')])
    await timelineIds(reader)
    await follow(reader, friend)
    const tweet = await post(stranger, 'retweeted in, renamed, then deleted')
    expect((await gateway(`/tweets/${tweet.id}/retweet`, { method: 'POST', token: friend.token })).status).toBe(200)
    await untilTimeline(reader, (ids) => ids.includes(tweet.id), 'the retweet')
    // Read again: the page now comes from the cached copies.
    expect((await timeline(reader)).body.items[0]).toMatchObject({ id: tweet.id, author: { display_name: stranger.username } })

    expect((await gateway('/users/me', { method: 'PATCH', token: stranger.token, body: { display_name: 'Renamed Stranger' } })).status).toBe(200)
    await waitFor(async () => (await timeline(reader)).body.items[0]?.author.display_name === 'Renamed Stranger', { what: 'the new name' })
    expect((await gateway(`/tweets/${tweet.id}`, { method: 'DELETE', token: stranger.token })).status).toBe(204)
    await untilTimeline(reader, (ids) => !ids.includes(tweet.id), 'the deleted tweet gone')
  })

  it('shows a retweet with who retweeted it, and takes it back when it is undone', async () => {
    const [reader, friend, author] = await Promise.all([newAccount('reader'), newAccount('friend'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, friend)
    const tweet = await post(author, 'worth sharing')
    expect((await gateway(`/tweets/${tweet.id}/retweet`, { method: 'POST', token: friend.token })).status).toBe(200)
    await untilTimeline(reader, (ids) => ids.includes(tweet.id), 'the retweet')
    const item = (await timeline(reader)).body.items.find((i: { id: string }) => i.id === tweet.id)
    expect(item.retweeted_by).toMatchObject({ id: friend.id, username: friend.username })
    expect(item.author.id).toBe(author.id)
    await waitFor(async () => (await timeline(reader)).body.items[0]?.retweet_count === 1, { what: 'the retweet count' })
    await gateway(`/tweets/${tweet.id}/retweet`, { method: 'DELETE', token: friend.token })
    await untilTimeline(reader, (ids) => !ids.includes(tweet.id), 'the retweet gone')
  })

  it('pages through with no duplicates, no gaps and a null cursor at the end', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await timelineIds(reader)
    await follow(reader, author)
    const posted = []
    for (let i = 0; i < 7; i++) posted.push((await post(author, `tweet ${i}`)).id)
    await untilTimeline(reader, (ids) => ids.length === 7, 'seven tweets')
    const pages = await allPages(reader, 3)
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1])
    expect(pages.flat()).toEqual([...posted].reverse())
  })

  it('is only its owner\'s', async () => {
    const [owner, other] = await Promise.all([newAccount('owner'), newAccount('other')])
    const response = await timelineService.request(`/timelines/${owner.id}`, { token: other.token })
    expect(response.status).toBe(403)
    expect(response.body.code).toBe('TML_NOT_YOURS')
    expect((await timelineService.request(`/timelines/${owner.id}`)).status).toBe(401)
  })

  it.each([
    ['a tampered cursor', '?cursor=bm9wZQ', 400],
    ['a cursor naming no entry', `?cursor=${Buffer.from('["x"]').toString('base64url')}`, 400],
    ['a limit over 100', '?limit=101', 400],
    ['an unknown parameter', '?foo=1', 400],
  ])('rejects %s', async (_case, query, status) => {
    const reader = await newAccount('reader')
    const response = await timeline(reader, query)
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/problem\+json/)
  })
})
