import { createEvent } from '@starling/shared/events'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { engage, eventPublisher, expectProblem, inbox, untilInbox, type Item } from './fixtures/inbox.ts'
import { closeSockets, liveAs } from './fixtures/live.ts'
import { notification } from './fixtures/service.ts'

let events: ReturnType<typeof eventPublisher>
beforeAll(() => {
  events = eventPublisher()
})
afterAll(() => events.close())
afterEach(closeSockets)

const types = (items: Item[]) => items.map((item) => item.type)

describe('notifications', () => {
  it('a follow, like, retweet, reply and mention each reach the recipient\'s socket and inbox', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const live = await liveAs(author)
    const tweet = await post(author, 'notice me')
    await follow(fan, author)
    expect((await engage(fan, 'like', tweet)).status).toBe(200)
    expect((await engage(fan, 'retweet', tweet)).status).toBe(200)
    const reply = await post(fan, 'a reply', { reply_to_id: tweet.id })
    const mention = await post(fan, `hello @${author.username}`)

    const frames = await live.eventsUntil(5, () => true, 'five notifications on the socket')
    expect(frames.map((f) => f.data.type).sort()).toEqual(['follow', 'like', 'mention', 'reply', 'retweet'])
    for (const frame of frames) {
      expect(frame).toMatchObject({ type: 'notification', id: expect.stringMatching(/^\d+-\d+$/) })
      expect(frame.data.actor).toEqual({ id: fan.id, username: fan.username, display_name: fan.username })
    }
    const byType = Object.fromEntries(frames.map((f) => [f.data.type, f.data]))
    expect(byType.like.tweet_id).toBe(tweet.id)
    expect(byType.retweet.tweet_id).toBe(tweet.id)
    expect(byType.reply.tweet_id).toBe(reply.id)
    expect(byType.mention.tweet_id).toBe(mention.id)
    expect(byType.follow).not.toHaveProperty('tweet_id')

    const page = await untilInbox(author, (items) => items.length === 5, 'five notifications in the inbox')
    expect(page.unread_count).toBe(5)
    // Newest first, and the same notifications the socket got.
    expect(page.items.map((i) => i.id)).toEqual([...page.items.map((i) => i.id)].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)))
    expect([...page.items].sort((a, b) => a.id.localeCompare(b.id))).toEqual(frames.map((f) => f.data).sort((a, b) => a.id.localeCompare(b.id)))
  })

  it('filters by type and pages through without duplicates or gaps', async () => {
    const author = await newAccount('author')
    const fans = await Promise.all(Array.from({ length: 5 }, () => newAccount('fan')))
    const tweet = await post(author, 'like me')
    for (const fan of fans) await follow(fan, author)
    expect((await engage(fans[0]!, 'like', tweet)).status).toBe(200)
    await untilInbox(author, (items) => items.length === 6, 'six notifications')

    const seen: string[] = []
    let cursor: string | null = null
    const sizes: number[] = []
    do {
      const response = await inbox(author, `?types=follow&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(response.status).toBe(200)
      expect(types(response.body.items).every((t) => t === 'follow')).toBe(true)
      sizes.push(response.body.items.length)
      seen.push(...response.body.items.map((i: Item) => i.id))
      cursor = response.body.next_cursor
    } while (cursor)
    expect(sizes).toEqual([2, 2, 1])
    expect(new Set(seen).size).toBe(5)
    expect(new Set((await inbox(author, '?types=follow')).body.items.map((i: Item) => i.actor.id))).toEqual(new Set(fans.map((f) => f.id)))
    expect(types((await inbox(author, '?types=like,retweet')).body.items)).toEqual(['like'])
    expect((await inbox(author, '?types=message')).body).toMatchObject({ items: [], unread_count: 6, next_cursor: null })
  })

  it('marks read up to an id, then all of them', async () => {
    const author = await newAccount('author')
    const fans = await Promise.all(Array.from({ length: 3 }, () => newAccount('fan')))
    for (const fan of fans) await follow(fan, author)
    const { items } = await untilInbox(author, (items) => items.length === 3, 'three follows')
    const oldest = items[2]!
    const middle = items[1]!
    const upTo = await notification.request(`/notifications/${author.id}/read`, { token: author.token, body: { up_to_id: middle.id } })
    expect(upTo.status).toBe(200)
    expect(upTo.body).toEqual({ unread_count: 1 })
    expect((await inbox(author)).body.items.map((i: Item) => [i.id, i.read])).toEqual([[items[0]!.id, false], [middle.id, true], [oldest.id, true]])

    const all = await notification.request(`/notifications/${author.id}/read`, { token: author.token, method: 'POST' })
    expect(all.status).toBe(200)
    expect(all.body).toEqual({ unread_count: 0 })
    expect((await inbox(author)).body.items.every((i: Item) => i.read)).toBe(true)
  })

  it('notifies nobody of their own doing', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const tweet = await post(author, `talking to myself @${author.username}`)
    await post(author, 'replying to myself', { reply_to_id: tweet.id })
    expect((await engage(author, 'like', tweet)).status).toBe(200)
    // Same tweet, so the same partition: once the fan's like is in, the author's own was handled.
    expect((await engage(fan, 'like', tweet)).status).toBe(200)
    const { items } = await untilInbox(author, (items) => items.some((i) => i.type === 'like'), 'the fan\'s like')
    expect(items.map((i) => [i.type, i.actor.id])).toEqual([['like', fan.id]])
  })

  it('makes nothing from someone the recipient blocked or muted, or who blocked them', async () => {
    const [author, blocked, muted, blocker, friend] = await Promise.all([newAccount('author'), newAccount('blocked'), newAccount('muted'), newAccount('blocker'), newAccount('friend')])
    const tweet = await post(author, 'mind your manners')
    await gateway('/block/', { token: author.token, body: { user_id: blocked.id } })
    await gateway('/mute/', { token: author.token, body: { user_id: muted.id } })
    await gateway('/block/', { token: blocker.token, body: { user_id: author.id } })
    // Graph events are keyed by the actor: a follow by each after their block or mute shows it was consumed.
    const marker = await newAccount('marker')
    await follow(author, marker)
    await follow(blocker, marker)
    await untilInbox(marker, (items) => items.length === 2, 'the marker follows')

    for (const who of [blocked, muted, blocker, friend]) expect((await engage(who, 'like', tweet)).status).toBe(200)
    const { items } = await untilInbox(author, (items) => items.some((i) => i.actor.id === friend.id), 'the friend\'s like')
    expect(items.map((i) => [i.type, i.actor.id])).toEqual([['like', friend.id]])
  })

  it('hides what a block made before it, and shows what a mute hid once unmuted', async () => {
    const [author, later, quiet] = await Promise.all([newAccount('author'), newAccount('later'), newAccount('quiet')])
    const tweet = await post(author, 'before')
    expect((await engage(later, 'like', tweet)).status).toBe(200)
    expect((await engage(quiet, 'like', tweet)).status).toBe(200)
    await untilInbox(author, (items) => items.length === 2, 'both likes')
    await gateway('/block/', { token: author.token, body: { user_id: later.id } })
    await gateway('/mute/', { token: author.token, body: { user_id: quiet.id } })
    const hidden = await untilInbox(author, (items) => items.length === 0, 'both hidden')
    expect(hidden.unread_count).toBe(0)
    await gateway('/unmute/', { token: author.token, body: { user_id: quiet.id } })
    const shown = await untilInbox(author, (items) => items.length === 1, 'the muted one back')
    expect(shown.items[0]!.actor.id).toBe(quiet.id)
  })

  it('drops the notifications of a deleted tweet and makes none for it afterwards', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const tweet = await post(author, 'soon gone')
    expect((await engage(fan, 'like', tweet)).status).toBe(200)
    await untilInbox(author, (items) => items.length === 1, 'the like')
    expect((await gateway(`/tweets/${tweet.id}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    await untilInbox(author, (items) => items.length === 0, 'the like gone with the tweet')

    // A like consumed after the deletion (it travels on another topic) makes nothing.
    const late = createEvent('like.created', 1, tweet.id, { tweet_id: tweet.id, user_id: fan.id, tweet_author_id: author.id, like_count: 1, at: new Date().toISOString() })
    await events.publish(late)
    await events.processed(late)
    expect((await inbox(author)).body.items).toEqual([])
  })

  it('takes back an unread like or follow when it is undone, but not one already read', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const tweet = await post(author, 'fickle')
    await follow(fan, author)
    expect((await engage(fan, 'like', tweet)).status).toBe(200)
    await untilInbox(author, (items) => items.length === 2, 'follow and like')
    expect((await engage(fan, 'like', tweet, 'DELETE')).status).toBe(200)
    await gateway('/unfollow/', { token: fan.token, body: { user_id: author.id } })
    await untilInbox(author, (items) => items.length === 0, 'both taken back')

    expect((await engage(fan, 'like', tweet)).status).toBe(200)
    await untilInbox(author, (items) => items.length === 1, 'the like again')
    await notification.request(`/notifications/${author.id}/read`, { token: author.token, body: {} })
    expect((await engage(fan, 'like', tweet, 'DELETE')).status).toBe(200)
    const marker = await newAccount('marker')
    // Same tweet, same partition: once this like is in, the unlike before it was handled.
    expect((await engage(marker, 'like', tweet)).status).toBe(200)
    const { items } = await untilInbox(author, (items) => items.some((i) => i.actor.id === marker.id), 'the marker like')
    expect(items.map((i) => [i.actor.id, i.read])).toEqual([[marker.id, false], [fan.id, true]])
  })

  it('makes one notification of an event delivered twice', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    const live = await liveAs(author)
    const event = createEvent('follow.created', 1, fan.id, { follower_id: fan.id, followee_id: author.id, created_at: new Date().toISOString() })
    await events.publish(event)
    await events.publish(event)
    await events.processed(event)
    const marker = createEvent('follow.created', 1, fan.id, { follower_id: fan.id, followee_id: (await newAccount('x')).id, created_at: new Date().toISOString() })
    await events.publish(marker)
    await events.processed(marker)
    expect((await inbox(author)).body.items).toHaveLength(1)
    expect(live.events()).toHaveLength(1)
  })
})

describe('inbox access and input', () => {
  it('is its owner\'s alone', async () => {
    const [owner, other] = await Promise.all([newAccount('owner'), newAccount('other')])
    await expectProblem(await notification.request(`/notifications/${owner.id}`, { token: other.token }), 403, 'NTF_NOT_YOURS')
    await expectProblem(await notification.request(`/notifications/${owner.id}/read`, { token: other.token, body: {} }), 403, 'NTF_NOT_YOURS')
    await expectProblem(await notification.request(`/notifications/${owner.id}`), 401)
    await expectProblem(await notification.request(`/notifications/${owner.id}/read`, { body: {} }), 401)
  })

  it.each([
    ['an unknown type', '?types=like,poke'],
    ['an empty type', '?types=like,'],
    ['a limit of 0', '?limit=0'],
    ['a limit over 100', '?limit=101'],
    ['a tampered cursor', '?cursor=bm9wZQ'],
    ['a cursor holding no id', `?cursor=${Buffer.from('["x"]').toString('base64url')}`],
    ['a cursor beyond 64 bits', `?cursor=${Buffer.from('["9223372036854775808"]').toString('base64url')}`],
    ['an unknown parameter', '?foo=1'],
  ])('rejects %s with a problem', async (_case, query) => {
    const owner = await newAccount('owner')
    await expectProblem(await inbox(owner, query), 400)
  })

  it.each([
    ['an up_to_id that is not an id', { up_to_id: 'abc' }],
    ['an up_to_id beyond 64 bits', { up_to_id: '9223372036854775808' }],
    ['an unknown field', { all: true }],
    ['a body that is not an object', [1]],
  ])('refuses to mark read with %s', async (_case, body) => {
    const owner = await newAccount('owner')
    await expectProblem(await notification.request(`/notifications/${owner.id}/read`, { token: owner.token, body }), 400)
  })

  it('refuses a user id that is not one', async () => {
    const owner = await newAccount('owner')
    await expectProblem(await notification.request('/notifications/abc', { token: owner.token }), 400)
  })
})
