import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { waitFor } from '@starling/shared/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post } from '../../../test/setup/social.ts'
import { eventPublisher, untilInbox } from './fixtures/inbox.ts'
import { closeSockets, liveAs, liveEvents, startInstance, type Frame, type LiveClient } from './fixtures/live.ts'
import { presenceKeyOf } from '../src/realtime/presence.store.ts'

// Sockets on an instance in this process; the stack's worker consumes the events (the real ones
// the API makes, and ones published here as a redelivery or a replay would bring them).
let instance: Awaited<ReturnType<typeof startInstance>>
let events: ReturnType<typeof eventPublisher>
let redis: ReturnType<typeof liveEvents>
beforeAll(async () => {
  instance = await startInstance()
  events = eventPublisher()
  redis = liveEvents()
})
afterAll(async () => {
  await instance?.close()
  await events?.close()
  await redis?.close()
})
afterEach(closeSockets)

const tweetFrames = (client: LiveClient) => client.frames.filter((f) => f.type === 'tweet')
const untilFrame = (client: LiveClient, match: (frame: Frame) => boolean, what: string) => client.next(match, what)
const isTweet = (id: string) => (f: Frame) => f.type === 'tweet' && f.data.id === id

/** `fan` follows `author`, once the notification worker has the follow (the follows copy is written with the notification). */
async function following(fan: Account, author: Account) {
  await follow(fan, author)
  await untilInbox(author, (items) => items.some((item) => item.type === 'follow' && item.actor.id === fan.id), 'the follow applied')
}

/** A tweet.created as the tweet service publishes it, for a tweet that exists only in this event. */
function tweetEvent(author: Account, options: { id?: string; conversationId?: string } = {}) {
  const id = options.id ?? String(8_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12)))
  const conversation = options.conversationId ?? id
  return createEvent('tweet.created', 1, conversation, {
    tweet_id: id, author_id: author.id, text: `only an event ${id}`, conversation_id: conversation, reply_to_id: conversation === id ? null : conversation,
    reply_to_author_id: conversation === id ? null : author.id, quote_of_id: null, quote_of_author_id: null, mentions: [], hashtags: [], created_at: new Date().toISOString(),
  })
}
const publishAll = async (...list: EventEnvelope[]) => { for (const event of list) await events.publish(event) }

describe('live home-timeline tweets', () => {
  it('reach a present follower and the author as GET /tweets/{id} shows the tweet, without the reader\'s state', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    await following(fan, author)
    const [fanLive, authorLive] = await Promise.all([liveAs(fan, { url: instance.url }), liveAs(author, { url: instance.url })])
    const tweet = await post(author, 'fresh off the press #live')

    const frame = await untilFrame(fanLive, isTweet(tweet.id), 'the tweet on the follower\'s socket')
    expect(frame.id).toMatch(/^\d+-\d+$/)
    expect(frame.data).toEqual((await gateway(`/tweets/${tweet.id}`)).body)
    expect(frame.data).not.toHaveProperty('viewer')
    await untilFrame(authorLive, isTweet(tweet.id), 'the tweet on the author\'s own socket')
  })

  it('never push a tweet already deleted when its created event is handled, nor one delivered twice more than once', async () => {
    const [author, fan] = await Promise.all([newAccount('author'), newAccount('fan')])
    await following(fan, author)
    const live = await liveAs(fan, { url: instance.url })

    const gone = tweetEvent(author)
    const deletion = createEvent('tweet.deleted', 1, gone.key, { tweet_id: gone.payload.tweet_id, author_id: author.id, conversation_id: gone.key, deleted_at: new Date().toISOString() })
    const twice = tweetEvent(author, { conversationId: gone.key })
    // A reply in the same thread: the same partition, so it is handled after the others.
    const marker = tweetEvent(author, { conversationId: gone.key })
    await publishAll(deletion, gone, twice, twice, marker)

    await untilFrame(live, isTweet(marker.payload.tweet_id), 'the marker tweet')
    expect(tweetFrames(live).map((f) => f.data.id)).toEqual([twice.payload.tweet_id, marker.payload.tweet_id])
  })

  it('tell whoever was sent a tweet of its deletion, online or not by now', async () => {
    const [author, fan, late] = await Promise.all([newAccount('author'), newAccount('fan'), newAccount('late')])
    await Promise.all([following(fan, author), following(late, author)])
    const live = await liveAs(fan, { url: instance.url })
    const tweet = await post(author, 'regrettable')
    const sent = await untilFrame(live, isTweet(tweet.id), 'the tweet')
    live.socket.close()
    // `late` comes online only after the tweet: it was never sent the tweet, and is not told of its deletion.
    const lateLive = await liveAs(late, { url: instance.url })

    expect((await gateway(`/tweets/${tweet.id}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    const back = await liveAs(fan, { url: instance.url, lastEventId: sent.id! })
    const deleted = await untilFrame(back, (f) => f.type === 'tweet_deleted', 'the deletion, replayed or live')
    expect(deleted.data).toEqual({ tweet_id: tweet.id })

    const marker = await post(author, 'still here')
    await untilFrame(lateLive, isTweet(marker.id), 'a later tweet')
    expect(lateLive.frames.some((f) => f.type === 'tweet_deleted')).toBe(false)
  })

  it('keep a user present across instances while a socket is open, and for the grace after it closed', async () => {
    const user = await newAccount('user')
    const score = async () => Number(await redis.redis.zscore(presenceKeyOf(user.id), user.id))
    const live = await liveAs(user, { url: instance.url })
    const [time] = await redis.redis.time()
    expect(await score()).toBeGreaterThan(Number(time) * 1000)
    const first = await score()
    live.socket.close()
    await waitFor(async () => (await score()) > first, { what: 'the presence renewed at the close', timeoutMs: 10_000 })
  })
})
