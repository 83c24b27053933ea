import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { encodeCursor } from '@starling/shared/http'
import { createMediaReplica, createUserReplica, userServiceLookup, type ReplicaUser } from '@starling/shared/replicas'
import { createMemoryReplicaRepository, createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryEngagementRepository } from '../engagements/engagement.repository.memory.ts'
import { createEngagementService } from '../engagements/engagement.service.ts'
import { errors } from '../errors.ts'
import { createMemoryMediaRepository } from '../media/media.repository.memory.ts'
import { memoryTweetCache } from './tweet.cache.memory.ts'
import { createMemoryTweetRepository } from './tweet.repository.memory.ts'
import { createTweetService } from './tweet.service.ts'

const account = (id: string, username: string): ReplicaUser => ({ id, username, display_name: username.toUpperCase(), avatar_url: null, updated_at: '2026-01-01T00:00:00.000Z' })
const [ada, bob, cyd] = [account('1', 'ada'), account('2', 'bob'), account('4', 'cyd')]
/** Registered at the user service a moment ago: its user.registered event has not reached the replica. */
const newcomer = account('3', 'newcomer')

/** The user service as GET /users/{id} and /users/by-username/{name} answer; `down` when it cannot answer. */
function fakeUserService(registered: ReplicaUser[]) {
  const state = { down: false, asked: [] as string[] }
  const fetch = async (url: string | URL | Request) => {
    const path = new URL(String(url)).pathname
    state.asked.push(path)
    if (state.down) throw new TypeError('fetch failed')
    const user = registered.find((u) => path === `/users/${u.id}` || path.toLowerCase() === `/users/by-username/${u.username}`)
    return user
      ? Response.json({ id: user.id, username: user.username, display_name: user.display_name, created_at: user.updated_at })
      : Response.json({ code: 'USR_NOT_FOUND' }, { status: 404 })
  }
  return Object.assign(state, { fetch })
}

/**
 * The service over in-memory tables, with the replica as compose.ts builds it for USER_LOOKUP_FALLBACK on or off.
 * `engaging` likes and retweets on the same tables; `viewerQueries` holds the ids of each read of readers' states.
 */
function setup(options: { userLookupFallback?: boolean } = {}) {
  const replica = createMemoryReplicaRepository({ users: [ada, bob, cyd] })
  const userService = fakeUserService([ada, bob, cyd, newcomer])
  const users = createUserReplica(replica, options.userLookupFallback ?? true
    ? { lookup: userServiceLookup({ userServiceUrl: 'http://user.test', unavailable: errors.TWT_USER_SERVICE_UNAVAILABLE, fetch: userService.fetch }) }
    : {})
  const tweets = createMemoryTweetRepository(replica.users)
  const engagements = createMemoryEngagementRepository(tweets)
  const viewerQueries: string[][] = []
  const countedEngagements = {
    viewerStates: (userId: string, tweetIds: readonly string[]) => {
      viewerQueries.push([...tweetIds])
      return engagements.viewerStates(userId, tweetIds)
    },
  }
  const media = createMemoryMediaRepository()
  const memory = createMemoryUnitOfWork({ tweets, engagements, media })
  const { cache, uow, store, worker } = memoryTweetCache(memory, tweets.replyTargetOf)
  return {
    service: createTweetService({ uow, tweets, engagements: countedEngagements, users, cache }),
    engaging: createEngagementService({ uow }),
    events: memory.published,
    userService,
    viewerQueries,
    replica,
    tweets,
    media,
    store,
    worker,
  }
}
const types = (events: EventEnvelope[]) => events.map((event) => `${event.type} ${(event.payload as { tweet_id: string }).tweet_id}`)
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)

describe('posting', () => {
  it('stores the trimmed text with its #tags and the accounts its @names are, and publishes tweet.created keyed by the conversation', async () => {
    const { service, events } = setup()
    const tweet = await service.post(ada.id, { text: '  hi @BOB and @nobody_here #Kafka #kafka  ' })
    expect(tweet).toMatchObject({
      text: 'hi @BOB and @nobody_here #Kafka #kafka', author: { id: ada.id, username: 'ada', display_name: 'ADA' },
      conversation_id: tweet.id, reply_to_id: null, quote_of_id: null,
      mentions: [{ user_id: bob.id, username: 'bob' }], hashtags: ['kafka'], like_count: 0, retweet_count: 0, reply_count: 0,
    })
    expect(await service.get(tweet.id, ada.id)).toEqual(tweet)
    expect(events).toEqual([expect.objectContaining({ type: 'tweet.created', key: tweet.id })])
    expect(events[0]!.payload).toEqual({
      tweet_id: tweet.id, author_id: ada.id, text: tweet.text, conversation_id: tweet.id, reply_to_id: null, reply_to_author_id: null,
      quote_of_id: null, quote_of_author_id: null, mentions: tweet.mentions, hashtags: ['kafka'], media: [], created_at: tweet.created_at,
    })
  })

  it('refuses text over 280 characters, and a token of nobody, before anything is written', async () => {
    const { service, events } = setup()
    expect(await code(service.post(ada.id, { text: 'a'.repeat(281) }))).toBe('TWT_TEXT_LENGTH')
    expect(await code(service.post(ada.id, { text: ' \n ' }))).toBe('TWT_TEXT_LENGTH')
    expect(await code(service.post('404', { text: 'who am I' }))).toBe('TWT_AUTHOR_UNKNOWN')
    expect(events).toEqual([])
  })

  it('threads a reply into the conversation of the first tweet, counts it on its parent, and names whom it replies to and quotes', async () => {
    const { service, events } = setup()
    const root = await service.post(ada.id, { text: 'root' })
    const reply = await service.post(bob.id, { text: 'reply', reply_to_id: root.id })
    const nested = await service.post(ada.id, { text: 'nested', reply_to_id: reply.id, quote_of_id: root.id })
    expect(nested).toMatchObject({ conversation_id: root.id, reply_to_id: reply.id, quote_of_id: root.id })
    expect((await service.get(root.id)).reply_count).toBe(1)
    expect((await service.get(reply.id)).reply_count).toBe(1)
    expect(events.map((event) => event.key)).toEqual([root.id, root.id, root.id])
    expect(events[2]!.payload).toMatchObject({ reply_to_author_id: bob.id, quote_of_author_id: ada.id })

    // A quote alone starts a conversation of its own and counts no reply.
    const quote = await service.post(bob.id, { text: 'so true', quote_of_id: root.id })
    expect(quote).toMatchObject({ conversation_id: quote.id, reply_to_id: null })
    expect((await service.get(root.id)).reply_count).toBe(1)
  })

  it('refuses a reply to or a quote of a tweet that is not there or was deleted, and publishes nothing for it', async () => {
    const { service, events } = setup()
    const gone = await service.post(ada.id, { text: 'soon gone' })
    await service.delete(ada.id, gone.id)
    events.length = 0
    for (const id of ['1', gone.id]) {
      expect(await code(service.post(ada.id, { text: 'reply', reply_to_id: id }))).toBe('TWT_REPLY_TARGET_MISSING')
      expect(await code(service.post(ada.id, { text: 'quote', quote_of_id: id }))).toBe('TWT_QUOTE_TARGET_MISSING')
    }
    expect(events).toEqual([])
    expect((await service.byAuthor(ada.id, { limit: 20 })).items).toEqual([])
  })

  it('returns the first tweet for a retry with the same Idempotency-Key and body, refuses another body, and keeps keys per user', async () => {
    const { service, events } = setup()
    const first = await service.post(ada.id, { text: 'only once' }, 'key-1')
    expect(await service.post(ada.id, { text: 'only once', reply_to_id: null }, 'key-1')).toEqual(first)
    expect(await code(service.post(ada.id, { text: 'something else' }, 'key-1'))).toBe('TWT_IDEMPOTENCY_MISMATCH')
    const theirs = await service.post(bob.id, { text: 'only once' }, 'key-1')
    expect(theirs.id).not.toBe(first.id)
    expect(types(events)).toEqual([`tweet.created ${first.id}`, `tweet.created ${theirs.id}`])
  })
})

describe('pictures', () => {
  /** The media events of an upload by `owner`, as the media service publishes them, through the worker's handler. */
  async function upload(media: ReturnType<typeof setup>['media'], id: string, owner: string, outcome: 'pending' | 'ready' | 'rejected' = 'ready') {
    const handle = createMediaReplica(media)
    const at = '2026-01-01T00:00:00.000Z'
    await handle(createEvent('media.uploaded', 1, id, { media_id: id, owner_id: owner, content_type: 'image/png', size: 100, uploaded_at: at }))
    if (outcome === 'ready') {
      await handle(createEvent('media.processed', 1, id, {
        media_id: id, owner_id: owner, url: `/m/${id}/original.webp`, preview_url: `/m/${id}/preview.webp`, width: 640, height: 480, alt_text: `picture ${id}`, placeholder: 'data:,', processed_at: at,
      }))
    }
    if (outcome === 'rejected') await handle(createEvent('media.rejected', 1, id, { media_id: id, owner_id: owner, reason: 'not an image', rejected_at: at }))
    // A late redelivery of the upload never takes a settled state back.
    await handle(createEvent('media.uploaded', 1, id, { media_id: id, owner_id: owner, content_type: 'image/png', size: 100, uploaded_at: at }))
  }

  it('posts the author\'s ready pictures in the order given, on the tweet, on every read and in tweet.created v2', async () => {
    const { service, events, media } = setup()
    await upload(media, '71', ada.id)
    await upload(media, '72', ada.id)
    const tweet = await service.post(ada.id, { text: 'two pictures', media_ids: ['72', '71'] })
    const shown = [
      { id: '72', url: '/m/72/original.webp', preview_url: '/m/72/preview.webp', width: 640, height: 480, alt_text: 'picture 72' },
      { id: '71', url: '/m/71/original.webp', preview_url: '/m/71/preview.webp', width: 640, height: 480, alt_text: 'picture 71' },
    ]
    expect(tweet.media).toEqual(shown)
    expect((await service.get(tweet.id)).media).toEqual(shown)
    expect((await service.byAuthor(ada.id, { limit: 5 })).items[0]!.media).toEqual(shown)
    const [created] = events as EventEnvelope<'tweet.created'>[]
    expect(created).toMatchObject({ type: 'tweet.created', version: 2, payload: { media: shown } })
    expect((await service.post(ada.id, { text: 'no pictures' })).media).toEqual([])
  })

  it('refuses another\'s picture (403), an unknown one (404), one still processing (409 with Retry-After), a refused one (400) and one already on a tweet (409), posting nothing', async () => {
    const { service, events, media } = setup()
    await upload(media, '81', bob.id)
    await upload(media, '82', ada.id, 'pending')
    await upload(media, '83', ada.id, 'rejected')
    await upload(media, '84', ada.id)
    const refusal = (ids: string[]) => service.post(ada.id, { text: 'with pictures', media_ids: ids }).then(() => 'posted', (error: { code: string; status: number; headers?: Record<string, string> }) => error)
    expect(await refusal(['84', '81'])).toMatchObject({ code: 'TWT_MEDIA_NOT_OWNER', status: 403 })
    expect(await refusal(['99'])).toMatchObject({ code: 'TWT_MEDIA_NOT_FOUND', status: 404 })
    expect(await refusal(['82'])).toMatchObject({ code: 'TWT_MEDIA_NOT_READY', status: 409, headers: { 'retry-after': '1' } })
    expect(await refusal(['83'])).toMatchObject({ code: 'TWT_MEDIA_REJECTED', status: 400 })
    expect(events).toEqual([])
    await service.post(ada.id, { text: 'first', media_ids: ['84'] })
    expect(await refusal(['84'])).toMatchObject({ code: 'TWT_MEDIA_ATTACHED', status: 409 })
    expect(events).toHaveLength(1)
  })
})

describe('deleting and reading', () => {
  it('lets only the author delete, publishes tweet.deleted once, and uncounts a deleted reply on its parent', async () => {
    const { service, events } = setup()
    const root = await service.post(ada.id, { text: 'root' })
    const reply = await service.post(bob.id, { text: 'reply', reply_to_id: root.id })
    events.length = 0
    expect(await code(service.delete(ada.id, reply.id))).toBe('TWT_NOT_AUTHOR')
    await service.delete(bob.id, reply.id)
    expect(await code(service.delete(bob.id, reply.id))).toBe('TWT_NOT_FOUND')
    expect(await code(service.get(reply.id))).toBe('TWT_NOT_FOUND')
    expect((await service.get(root.id)).reply_count).toBe(0)
    expect(events).toEqual([expect.objectContaining({ type: 'tweet.deleted', key: root.id })])
    expect(events[0]!.payload).toEqual({ tweet_id: reply.id, author_id: bob.id, conversation_id: root.id, deleted_at: expect.any(String) })
  })

  it('lists an author\'s tweets newest first and replies oldest first, page by page, and refuses a cursor it did not give out', async () => {
    const { service } = setup()
    const posted = []
    for (let i = 0; i < 3; i++) posted.push((await service.post(ada.id, { text: `tweet ${i}` })).id)
    const first = await service.byAuthor(ada.id, { limit: 2 })
    expect(first.items.map((tweet) => tweet.id)).toEqual([posted[2], posted[1]])
    expect(await service.byAuthor(ada.id, { limit: 2, cursor: first.next_cursor! })).toEqual({ items: [expect.objectContaining({ id: posted[0] })], next_cursor: null })
    expect(await code(service.byAuthor(ada.id, { limit: 2, cursor: encodeCursor(['12a']) }))).toBe('INVALID_CURSOR')

    const replies = []
    for (let i = 0; i < 3; i++) replies.push((await service.post(bob.id, { text: `reply ${i}`, reply_to_id: posted[0]! })).id)
    const page = await service.replies(posted[0]!, { limit: 2 })
    expect(page.items.map((tweet) => tweet.id)).toEqual(replies.slice(0, 2))
    expect((await service.replies(posted[0]!, { limit: 2, cursor: page.next_cursor! })).items.map((tweet) => tweet.id)).toEqual([replies[2]])
    expect((await service.byAuthor(bob.id, { limit: 20 })).items.map((tweet) => tweet.id)).toEqual(replies.toReversed())
  })

  it('answers TWT_USER_NOT_FOUND for the tweets of nobody, TWT_NOT_FOUND for the replies of no tweet, and an empty page for a quiet account', async () => {
    const { service } = setup()
    expect(await code(service.byAuthor('404', { limit: 20 }))).toBe('TWT_USER_NOT_FOUND')
    expect(await code(service.replies('404', { limit: 20 }))).toBe('TWT_NOT_FOUND')
    expect(await service.byAuthor(bob.id, { limit: 20 })).toEqual({ items: [], next_cursor: null })
  })
})

describe('USER_LOOKUP_FALLBACK', () => {
  it('on: an account registered a moment ago, not replicated yet, can post and be mentioned, looked up once at the user service', async () => {
    const { service, events, userService } = setup({ userLookupFallback: true })
    const mention = await service.post(ada.id, { text: 'welcome @Newcomer and @nobody_here' })
    expect(mention.mentions).toEqual([{ user_id: newcomer.id, username: 'newcomer' }])
    expect(events[0]!.payload).toMatchObject({ mentions: [{ user_id: newcomer.id, username: 'newcomer' }] })
    expect(await service.post(newcomer.id, { text: 'hello' })).toMatchObject({ author: { id: newcomer.id, username: 'newcomer' } })
    expect((await service.byAuthor(newcomer.id, { limit: 20 })).items).toHaveLength(1)
    // Remembered: posting as the newcomer and listing their tweets asked nothing more.
    expect(userService.asked.sort()).toEqual(['/users/by-username/Newcomer', '/users/by-username/nobody_here'])
  })

  it('on: costs a 503 with Retry-After for an account the replica has not seen while the user service is away; replicated accounts post as before', async () => {
    const { service, userService } = setup({ userLookupFallback: true })
    userService.down = true
    const refused = await service.post(newcomer.id, { text: 'hello' }).catch((error: unknown) => error)
    expect(refused).toMatchObject({ status: 503, code: 'TWT_USER_SERVICE_UNAVAILABLE', headers: { 'retry-after': expect.any(String) } })
    expect(await code(service.post(ada.id, { text: 'hi @newcomer' }))).toBe('TWT_USER_SERVICE_UNAVAILABLE')
    expect(await service.post(ada.id, { text: 'hi @bob' })).toMatchObject({ mentions: [{ user_id: bob.id, username: 'bob' }] })
  })

  it('off: only replicated accounts are known, and the user service is never asked', async () => {
    const { service, userService } = setup({ userLookupFallback: false })
    userService.down = true
    expect((await service.post(ada.id, { text: 'welcome @newcomer and @bob' })).mentions).toEqual([{ user_id: bob.id, username: 'bob' }])
    expect(await code(service.post(newcomer.id, { text: 'hello' }))).toBe('TWT_AUTHOR_UNKNOWN')
    expect(await code(service.byAuthor(newcomer.id, { limit: 20 }))).toBe('TWT_USER_NOT_FOUND')
    expect(userService.asked).toEqual([])
  })
})

describe('the reader\'s own state (viewer)', () => {
  const reads = (service: ReturnType<typeof setup>['service'], root: { id: string }, reply: { id: string }, viewerId?: string | null) => Promise.all([
    service.get(reply.id, viewerId),
    service.replies(root.id, { limit: 20 }, viewerId).then((page) => page.items[0]!),
    service.byAuthor(bob.id, { limit: 20 }, viewerId).then((page) => page.items[0]!),
  ])

  it('is absent without a reader, on a tweet, the replies and an author\'s tweets, and nothing is asked for it', async () => {
    const { service, engaging, viewerQueries } = setup()
    const root = await service.post(ada.id, { text: 'root' })
    const reply = await service.post(bob.id, { text: 'reply', reply_to_id: root.id })
    await engaging.like(bob.id, reply.id)
    for (const tweet of [...await reads(service, root, reply), ...await reads(service, root, reply, null)]) {
      expect(tweet.id).toBe(reply.id)
      expect(tweet).not.toHaveProperty('viewer')
    }
    expect(viewerQueries).toEqual([])
  })

  it('is liked and retweeted as the reader did, on every read, until undone; another reader\'s is their own', async () => {
    const { service, engaging } = setup()
    const root = await service.post(ada.id, { text: 'root' })
    const reply = await service.post(bob.id, { text: 'reply', reply_to_id: root.id })
    const viewers = async (viewerId: string) => (await reads(service, root, reply, viewerId)).map((tweet) => tweet.viewer)
    const everywhere = (liked: boolean, retweeted: boolean) => Array(3).fill({ liked, retweeted })

    expect(await viewers(cyd.id)).toEqual(everywhere(false, false))
    await engaging.like(cyd.id, reply.id)
    expect(await viewers(cyd.id)).toEqual(everywhere(true, false))
    await engaging.retweet(cyd.id, reply.id)
    expect(await viewers(cyd.id)).toEqual(everywhere(true, true))
    expect(await viewers(ada.id)).toEqual(everywhere(false, false))
    await engaging.unlike(cyd.id, reply.id)
    expect(await viewers(cyd.id)).toEqual(everywhere(false, true))
    await engaging.unretweet(cyd.id, reply.id)
    expect(await viewers(cyd.id)).toEqual(everywhere(false, false))
    // Of the tweet itself: a like of its parent is not a like of it.
    await engaging.like(cyd.id, root.id)
    expect(await viewers(cyd.id)).toEqual(everywhere(false, false))
    expect((await service.get(root.id, cyd.id)).viewer).toEqual({ liked: true, retweeted: false })
  })

  it('is read once per page, for the ids on the page only, and not at all for an empty page', async () => {
    const { service, engaging, viewerQueries } = setup()
    const posted = []
    for (let i = 0; i < 3; i++) posted.push((await service.post(ada.id, { text: `tweet ${i}` })).id)
    await engaging.like(bob.id, posted[0]!)
    await engaging.retweet(bob.id, posted[2]!)
    viewerQueries.length = 0

    const first = await service.byAuthor(ada.id, { limit: 2 }, bob.id)
    expect(first.items.map((tweet) => [tweet.id, tweet.viewer])).toEqual([
      [posted[2], { liked: false, retweeted: true }], [posted[1], { liked: false, retweeted: false }],
    ])
    const last = await service.byAuthor(ada.id, { limit: 2, cursor: first.next_cursor! }, bob.id)
    expect(last.items.map((tweet) => [tweet.id, tweet.viewer])).toEqual([[posted[0], { liked: true, retweeted: false }]])
    expect(await service.replies(posted[0]!, { limit: 20 }, bob.id)).toEqual({ items: [], next_cursor: null })
    expect(viewerQueries).toEqual([[posted[2], posted[1]], [posted[0]]])
  })

  it('on a new tweet is the author\'s, both false without asking; a retry with the same key answers the author\'s state by now', async () => {
    const { service, engaging, viewerQueries } = setup()
    const tweet = await service.post(ada.id, { text: 'mine' }, 'key-1')
    expect(tweet.viewer).toEqual({ liked: false, retweeted: false })
    expect(viewerQueries).toEqual([])
    await engaging.like(ada.id, tweet.id)
    const retried = await service.post(ada.id, { text: 'mine' }, 'key-1')
    expect(retried).toEqual({ ...tweet, like_count: 1, viewer: { liked: true, retweeted: false } })
    expect(viewerQueries).toEqual([[tweet.id]])
  })
})

describe('the read cache', () => {
  /** Counts each read the service makes of the tables. */
  function counted(setupResult: ReturnType<typeof setup>) {
    const { tweets } = setupResult
    const asked: string[] = []
    for (const name of ['findByIds', 'authors', 'idsByAuthor', 'replyIds'] as const) {
      const original = tweets[name] as (...args: never[]) => Promise<unknown>
      ;(tweets as Record<string, unknown>)[name] = (...args: never[]) => {
        asked.push(name)
        return original(...args)
      }
    }
    return asked
  }
  const rename = (id: string, username: string): EventEnvelope => createEvent('user.updated', 1, id, {
    user_id: id, username, display_name: username.toUpperCase(), bio: '', updated_at: '2026-06-01T00:00:00.000Z',
  })

  it('answers a warm tweet, author page and replies page without asking Postgres anything', async () => {
    const result = setup()
    const { service, engaging, viewerQueries } = result
    const root = await service.post(ada.id, { text: 'root' })
    const reply = await service.post(bob.id, { text: 'reply', reply_to_id: root.id })
    await engaging.like(cyd.id, reply.id)
    const read = () => Promise.all([service.get(reply.id, cyd.id), service.byAuthor(ada.id, { limit: 20 }, cyd.id), service.replies(root.id, { limit: 20 }, cyd.id)])
    const cold = await read()
    const asked = counted(result)
    viewerQueries.length = 0
    expect(await read()).toEqual(cold)
    expect(asked).toEqual([])
    expect(viewerQueries).toEqual([])
    expect(cold[0]).toMatchObject({ like_count: 1, viewer: { liked: true, retweeted: false } })
  })

  it('shows a deletion, a like, a new reply and a rename on the next read of a warm cache', async () => {
    const { service, engaging, replica, worker } = setup()
    const root = await service.post(ada.id, { text: 'root' })
    const reply = await service.post(bob.id, { text: 'reply', reply_to_id: root.id })
    const warm = () => Promise.all([service.get(root.id, cyd.id), service.byAuthor(bob.id, { limit: 20 }), service.replies(root.id, { limit: 20 })])
    await warm()

    await engaging.like(cyd.id, root.id)
    expect(await service.get(root.id, cyd.id)).toMatchObject({ like_count: 1, viewer: { liked: true } })
    const second = await service.post(cyd.id, { text: 'me too', reply_to_id: root.id })
    expect((await service.get(root.id)).reply_count).toBe(2)
    expect((await service.replies(root.id, { limit: 20 })).items.map((tweet) => tweet.id)).toEqual([reply.id, second.id])

    // A rename reaches the cache through the worker, after the replica took it.
    const renamed = rename(bob.id, 'robert')
    await replica.users.upsert({ id: bob.id, username: 'robert', display_name: 'ROBERT', avatar_url: null, updated_at: renamed.occurred_at })
    await worker(renamed)
    expect((await service.get(reply.id)).author).toEqual({ id: bob.id, username: 'robert', display_name: 'ROBERT', avatar_url: null })

    await service.delete(bob.id, reply.id)
    expect(await code(service.get(reply.id))).toBe('TWT_NOT_FOUND')
    expect((await service.byAuthor(bob.id, { limit: 20 })).items).toEqual([])
    expect((await service.replies(root.id, { limit: 20 })).items.map((tweet) => tweet.id)).toEqual([second.id])
    expect((await service.get(root.id)).reply_count).toBe(1)
  })

  it('keeps showing the old copy when the change could not reach the cache at commit, until the worker applies its event', async () => {
    const { service, engaging, events, store, worker } = setup()
    const tweet = await service.post(ada.id, { text: 'hello' })
    await service.get(tweet.id, bob.id)
    events.length = 0
    store.bumpsFail = true
    await engaging.like(bob.id, tweet.id)
    await service.delete(ada.id, tweet.id)
    store.bumpsFail = false
    expect(await service.get(tweet.id, bob.id)).toMatchObject({ like_count: 0, viewer: { liked: false } })
    for (const event of events) await worker(event)
    expect(await code(service.get(tweet.id, bob.id))).toBe('TWT_NOT_FOUND')
  })

  it('does not keep a copy read before a change that committed while it was being read', async () => {
    const result = setup()
    const { service, engaging, tweets } = result
    const tweet = await service.post(ada.id, { text: 'hello' })
    // The like commits (and moves the version) after the read looked in the cache and before it read the row.
    const findByIds = tweets.findByIds
    let once = true
    tweets.findByIds = async (ids) => {
      const rows = await findByIds(ids)
      if (once) {
        once = false
        await engaging.like(bob.id, tweet.id)
      }
      return rows
    }
    expect((await service.get(tweet.id)).like_count).toBe(0)
    expect((await service.get(tweet.id)).like_count).toBe(1)
  })
})
