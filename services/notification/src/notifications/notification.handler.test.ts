import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { createRelationReplica, createUserReplica, type ReplicaUser } from '@starling/shared/replicas'
import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createHomeAudience } from '../home/home-audience.ts'
import { createMemoryHomeRepository } from '../home/home.repository.memory.ts'
import type { LiveKind } from '../realtime/live-event.store.ts'
import { createMemoryLivePushRepository } from '../realtime/live-push.repository.memory.ts'
import { createMemoryPresenceStore } from '../realtime/presence.store.memory.ts'
import { createPushQueue } from '../realtime/push-queue.ts'
import { createNotificationHandler } from './notification.handler.ts'
import { createMemoryInbox } from './notification.repository.memory.ts'
import { createNotificationService } from './notification.service.ts'

const [ada, bob, cyd] = ['1', '2', '3']
const at = '2026-01-01T10:00:00.000Z'
const TWEET = '500'

/**
 * The consumer over the inboxes in memory. `sockets` is what reached users' live streams (what
 * their sockets show), `failPushes` makes the next pushes fail as a Redis outage after the commit
 * would; `lookup` stands in for the user service; `presence.present` is who has a socket open.
 */
function setup(options: { lookup?: Record<string, ReplicaUser> } = {}) {
  const { notifications, replicas, visible } = createMemoryInbox()
  const { home, calls: homeCalls } = createMemoryHomeRepository(visible)
  const presence = createMemoryPresenceStore()
  const pushes = createMemoryLivePushRepository()
  const sockets: { userId: string; kind: LiveKind; data: Record<string, unknown> }[] = []
  let failPushes = 0
  const store = {
    async append(userId: string, kind: LiveKind, data: string) {
      if (failPushes > 0 && failPushes--) throw new Error('Redis is away')
      sockets.push({ userId, kind, data: JSON.parse(data) as Record<string, unknown> })
      return `${sockets.length}-0`
    },
  }
  const lookup = options.lookup
  const users = createUserReplica(replicas, lookup ? { lookup: async (path) => lookup[path.split('/').at(-1)!] } : {})
  const uow = createMemoryUnitOfWork({ notifications, relations: createRelationReplica(replicas, ['blocks', 'mutes']), home, pushes })
  let transactions = 0
  const handle = createNotificationHandler({
    uow: { run: (work) => { transactions++; return uow.run(work) } },
    users,
    audience: createHomeAudience({ presence, home }),
    pushQueue: createPushQueue({ pushes, store }),
  })
  const inboxes = createNotificationService({ notifications })
  const inbox = async (userId: string) => (await inboxes.inbox(userId, userId, { limit: 20 })).items
  return {
    handle, sockets, queued: pushes.rows, inbox, inboxes, presence, homeCalls,
    failNextPush: () => { failPushes = 1 }, transactions: () => transactions,
  }
}

const registered = (id: string, username: string) => createEvent('user.registered', 1, id, { user_id: id, username, display_name: username.toUpperCase(), created_at: at })
const follow = (from: string, to: string) => createEvent('follow.created', 1, from, { follower_id: from, followee_id: to, created_at: at })
const like = (who: string, author = ada, type: 'like.created' | 'like.deleted' = 'like.created') =>
  createEvent(type, 1, TWEET, { tweet_id: TWEET, user_id: who, tweet_author_id: author, like_count: 1, at })
const block = (blocker: string, blocked: string, type: 'block.created' | 'block.deleted' = 'block.created') =>
  createEvent(type, 1, blocker, { blocker_id: blocker, blocked_id: blocked, at })
const mute = (muter: string, muted: string, type: 'mute.created' | 'mute.deleted' = 'mute.created') =>
  createEvent(type, 1, muter, { muter_id: muter, muted_id: muted, at })
const actors = (items: { actor: { id: string } }[]) => items.map((item) => item.actor.id)

async function run(handle: (event: EventEnvelope) => Promise<void>, ...events: EventEnvelope[]) {
  for (const event of events) await handle(event)
}

describe('the inbox consumer', () => {
  it('notifies the followee in their inbox and on their sockets, showing the follower by name', async () => {
    const { handle, sockets, inbox } = setup()
    await run(handle, registered(bob, 'bob'), follow(bob, ada))
    const [item] = await inbox(ada)
    expect(item).toEqual({ id: expect.any(String), type: 'follow', actor: { id: bob, username: 'bob', display_name: 'BOB' }, created_at: at, read: false })
    expect(sockets).toEqual([{ userId: ada, kind: 'notification', data: item }])
    expect(await inbox(bob)).toEqual([])
  })

  it('shows an actor the replica does not know yet, looked up before the notification is stored', async () => {
    const { handle, inbox } = setup({ lookup: { [cyd]: { id: cyd, username: 'cyd', display_name: 'Cyd', avatar_url: null, updated_at: at } } })
    await handle(follow(cyd, ada))
    expect((await inbox(ada))[0]!.actor).toEqual({ id: cyd, username: 'cyd', display_name: 'Cyd' })
  })

  it('applies an event delivered twice once: one notification, one push, and none back after it was undone', async () => {
    const { handle, sockets, inbox } = setup()
    const event = follow(bob, ada)
    await run(handle, event, event)
    expect(await inbox(ada)).toHaveLength(1)
    expect(sockets).toHaveLength(1)

    const liked = like(cyd)
    await run(handle, liked, like(cyd, ada, 'like.deleted'), liked)
    expect(actors(await inbox(ada))).toEqual([bob])
    expect(sockets).toHaveLength(2)
  })

  it('pushes on redelivery what a failure after the commit left unpushed, and stores nothing twice', async () => {
    const { handle, sockets, queued, inbox, failNextPush } = setup()
    const event = follow(bob, ada)
    failNextPush()
    await expect(handle(event)).rejects.toThrow('Redis is away')
    expect(sockets).toEqual([])
    expect(queued).toHaveLength(1)
    await handle(event)
    expect(sockets.map((push) => push.userId)).toEqual([ada])
    expect(queued).toEqual([])
    expect(await inbox(ada)).toHaveLength(1)
  })

  it('makes nothing from someone the recipient blocked or muted, or who blocked them', async () => {
    const { handle, sockets, inbox } = setup()
    const [blocked, muted, blocker, friend] = ['11', '12', '13', '14']
    await run(handle, block(ada, blocked), mute(ada, muted), block(blocker, ada))
    await run(handle, ...[blocked, muted, blocker, friend].map((who) => like(who)))
    expect(actors(await inbox(ada))).toEqual([friend])
    expect(sockets.map((push) => (push.data.actor as { id: string }).id)).toEqual([friend])
  })

  it('hides what a block made before it, and shows what a mute hid once unmuted', async () => {
    const { handle, inbox } = setup()
    await run(handle, like(bob), like(cyd))
    await run(handle, block(ada, bob), mute(ada, cyd))
    expect(await inbox(ada)).toEqual([])
    await handle(mute(ada, cyd, 'mute.deleted'))
    expect(actors(await inbox(ada))).toEqual([cyd])
  })

  it('drops the notifications of a deleted tweet, and makes none for it afterwards', async () => {
    const { handle, sockets, inbox } = setup()
    await handle(like(bob))
    await handle(createEvent('tweet.deleted', 1, TWEET, { tweet_id: TWEET, author_id: ada, conversation_id: TWEET, deleted_at: at }))
    expect(await inbox(ada)).toEqual([])
    // A like on the engagements topic can arrive after the deletion on the tweets topic.
    await handle(like(cyd))
    expect(await inbox(ada)).toEqual([])
    expect(sockets).toHaveLength(1)
  })

  it('spends no transaction on what notifies nobody: a tweet mentioning and answering no one, a like of one\'s own tweet', async () => {
    const { handle, sockets, inbox, transactions } = setup()
    await run(handle, registered(ada, 'ada'), registered(bob, 'bob'))
    const tweet = (mentions: { user_id: string; username: string }[]) => createEvent('tweet.created', 1, TWEET, {
      tweet_id: TWEET, author_id: ada, text: 'hello', conversation_id: TWEET, reply_to_id: null, reply_to_author_id: null, quote_of_id: null, quote_of_author_id: null,
      mentions, hashtags: [], created_at: at,
    })
    await run(handle, tweet([]), like(ada))
    expect(transactions()).toBe(0)
    // The same tweet mentioning someone is one transaction, and notifies them.
    await handle(tweet([{ user_id: bob, username: 'bob' }]))
    expect(transactions()).toBe(1)
    expect(actors(await inbox(bob))).toEqual([ada])
    expect(sockets.map((s) => s.userId)).toEqual([bob])
  })

  it('takes back an unread like or follow when it is undone, but not one already read', async () => {
    const { handle, inbox, inboxes } = setup()
    const unlike = () => like(bob, ada, 'like.deleted')
    await run(handle, follow(bob, ada), like(bob))
    await run(handle, unlike(), createEvent('follow.deleted', 1, bob, { follower_id: bob, followee_id: ada, reason: 'unfollow', deleted_at: at }))
    expect(await inbox(ada)).toEqual([])

    await handle(like(bob))
    await inboxes.markRead(ada, ada)
    await handle(unlike())
    expect((await inbox(ada)).map((item) => [item.type, item.read])).toEqual([['like', true]])
  })

  it('sends a message to both sides\' sockets and notifies only the recipient, the message first', async () => {
    const { handle, sockets, inbox } = setup()
    await handle(registered(ada, 'ada'))
    await handle(createEvent('message.created', 1, '77', { message_id: '9', conversation_id: '77', sender_id: ada, recipient_id: bob, text: 'yo', created_at: at }))
    const message = { id: '9', conversation_id: '77', sender_id: ada, recipient_id: bob, text: 'yo', created_at: at }
    expect(sockets.map(({ userId, kind }) => [userId, kind])).toEqual([[bob, 'message'], [ada, 'message'], [bob, 'notification']])
    expect(sockets[0]!.data).toEqual(message)
    expect(sockets[2]!.data).toMatchObject({ type: 'message', actor: { id: ada, username: 'ada' }, conversation_id: '77', read: false })
    expect(await inbox(ada)).toEqual([])
  })
})

describe('live home-timeline tweets', () => {
  const [dan, eve] = ['4', '5']
  const posted = (author: string, tweetId = TWEET, extra: { mentions?: { user_id: string; username: string }[] } = {}) => createEvent('tweet.created', 1, tweetId, {
    tweet_id: tweetId, author_id: author, text: 'hello', conversation_id: tweetId, reply_to_id: null, reply_to_author_id: null, quote_of_id: null, quote_of_author_id: null,
    mentions: extra.mentions ?? [], hashtags: ['news'], created_at: at,
  })
  const deleted = (author: string, tweetId = TWEET) => createEvent('tweet.deleted', 1, tweetId, { tweet_id: tweetId, author_id: author, conversation_id: tweetId, deleted_at: at })
  const unfollow = (from: string, to: string) => createEvent('follow.deleted', 1, from, { follower_id: from, followee_id: to, reason: 'unfollow', deleted_at: at })
  const tweetsTo = (sockets: { userId: string; kind: LiveKind; data: Record<string, unknown> }[], kind: LiveKind = 'tweet') =>
    sockets.filter((push) => push.kind === kind).map((push) => push.userId).sort()

  it('pushes a new tweet to the author and their followers who are online, as the home timeline shows it, and to nobody else', async () => {
    const { handle, sockets, presence } = setup()
    await run(handle, registered(ada, 'ada'), follow(bob, ada), follow(cyd, ada), follow(eve, bob))
    for (const id of [ada, bob, dan, eve]) presence.present.add(id)
    sockets.length = 0
    await handle(posted(ada))
    // cyd follows but is offline; dan is online but follows nobody; eve follows someone else.
    expect(tweetsTo(sockets)).toEqual([ada, bob])
    expect(sockets.find((push) => push.userId === bob)!.data).toEqual({
      id: TWEET, text: 'hello', created_at: at, author: { id: ada, username: 'ada', display_name: 'ADA', avatar_url: null }, conversation_id: TWEET,
      reply_to_id: null, quote_of_id: null, mentions: [], hashtags: ['news'], media: [], like_count: 0, retweet_count: 0, reply_count: 0,
    })
  })

  it('never pushes a tweet to a follower who muted or blocked its author, was blocked by them, or unfollowed', async () => {
    const { handle, sockets, presence } = setup()
    await run(handle, ...[bob, cyd, dan, eve].map((id) => follow(id, ada)))
    await run(handle, mute(bob, ada), block(cyd, ada), block(ada, dan), unfollow(eve, ada))
    for (const id of [bob, cyd, dan, eve]) presence.present.add(id)
    await handle(posted(ada))
    expect(tweetsTo(sockets)).toEqual([])
    // Once bob unmutes, the next tweet reaches him; the blocks still keep cyd and dan out.
    await handle(mute(bob, ada, 'mute.deleted'))
    await handle(posted(ada, '501'))
    expect(tweetsTo(sockets)).toEqual([bob])
  })

  it('announces a deleted tweet to whoever was sent it, online or not by now, and to nobody else', async () => {
    const { handle, sockets, presence } = setup()
    await run(handle, follow(bob, ada), follow(cyd, ada))
    presence.present.add(bob)
    await handle(posted(ada))
    presence.present.delete(bob)
    presence.present.add(cyd)
    sockets.length = 0
    await handle(deleted(ada))
    expect(sockets).toEqual([{ userId: bob, kind: 'tweet_deleted', data: { tweet_id: TWEET } }])
    await handle(deleted(ada))
    expect(sockets).toHaveLength(1)
  })

  it('never pushes a tweet already deleted when its created event is handled', async () => {
    const { handle, sockets, presence } = setup()
    await handle(follow(bob, ada))
    presence.present.add(bob)
    sockets.length = 0
    await run(handle, deleted(ada), posted(ada))
    expect(sockets).toEqual([])
  })

  it('pushes a tweet delivered twice once', async () => {
    const { handle, sockets, presence } = setup()
    await handle(follow(bob, ada))
    presence.present.add(bob)
    const tweet = posted(ada)
    await run(handle, tweet, tweet)
    expect(tweetsTo(sockets)).toEqual([bob])
  })

  it('does no work for a tweet when nobody is online: one presence count, no query, no transaction', async () => {
    const { handle, presence, homeCalls, transactions } = setup()
    await run(handle, follow(bob, ada), follow(cyd, ada))
    const before = transactions()
    await handle(posted(ada))
    expect(transactions()).toBe(before)
    expect(presence.calls).toEqual({ count: 1, among: 0, all: 0 })
    expect(homeCalls.followers).toBe(0)
  })

  it('pushes the tweet and its mention notification to an online follower it mentions, in one transaction', async () => {
    const { handle, sockets, presence, transactions } = setup()
    await run(handle, registered(ada, 'ada'), follow(bob, ada))
    presence.present.add(bob)
    sockets.length = 0
    const before = transactions()
    await handle(posted(ada, TWEET, { mentions: [{ user_id: bob, username: 'bob' }] }))
    expect(transactions() - before).toBe(1)
    expect(sockets.map((push) => push.kind).sort()).toEqual(['notification', 'tweet'])
  })
})
