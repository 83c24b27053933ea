import { createEvent } from '@starling/shared/events'
import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryProcessedEventRepository } from './processed-event.repository.memory.ts'
import { createProfileCountsHandler } from './profile-counts.handler.ts'
import { createMemoryUserRepository } from './user.repository.memory.ts'

const AT = '2026-01-01T00:00:00.000Z'

async function setup() {
  const users = createMemoryUserRepository()
  const handle = createProfileCountsHandler({ uow: createMemoryUnitOfWork({ users, processedEvents: createMemoryProcessedEventRepository() }) })
  const ids: string[] = []
  for (const username of ['ada', 'bob']) {
    const user = await users.insert({ username, email: `${username}@example.com`, passwordHash: 'x', displayName: username })
    if ('taken' in user) throw new Error(`${username} is taken`)
    ids.push(user.id)
  }
  const counts = async (id: string) => {
    const { followers_count, following_count, tweets_count } = (await users.findById(id))!
    return { followers_count, following_count, tweets_count }
  }
  return { handle, counts, ada: ids[0]!, bob: ids[1]! }
}

const follow = (type: 'follow.created' | 'follow.deleted', follower: string, followee: string) => type === 'follow.created'
  ? createEvent(type, 1, follower, { follower_id: follower, followee_id: followee, created_at: AT })
  : createEvent(type, 1, follower, { follower_id: follower, followee_id: followee, reason: 'unfollow', deleted_at: AT })

describe('profile counts from graph and tweet events', () => {
  it('counts a follow on both profiles and takes it off again, each event once however often it is delivered', async () => {
    const { handle, counts, ada, bob } = await setup()
    const followed = follow('follow.created', ada, bob)
    await handle(followed)
    await handle(followed)
    expect(await counts(ada)).toEqual({ followers_count: 0, following_count: 1, tweets_count: 0 })
    expect(await counts(bob)).toEqual({ followers_count: 1, following_count: 0, tweets_count: 0 })

    const unfollowed = follow('follow.deleted', ada, bob)
    await handle(unfollowed)
    await handle(unfollowed)
    expect(await counts(ada)).toEqual({ followers_count: 0, following_count: 0, tweets_count: 0 })
    expect(await counts(bob)).toEqual({ followers_count: 0, following_count: 0, tweets_count: 0 })
  })

  it('counts tweets posted and deleted, each event once', async () => {
    const { handle, counts, ada } = await setup()
    const tweet = { tweet_id: '10', author_id: ada, conversation_id: '10' }
    const posted = createEvent('tweet.created', 1, '10', {
      ...tweet, text: 'hello', reply_to_id: null, reply_to_author_id: null, quote_of_id: null, quote_of_author_id: null, mentions: [], hashtags: [], created_at: AT,
    })
    await handle(posted)
    await handle(posted)
    await handle(createEvent('tweet.created', 1, '11', { ...posted.payload, tweet_id: '11', conversation_id: '11' }))
    expect((await counts(ada)).tweets_count).toBe(2)
    const deleted = createEvent('tweet.deleted', 1, '10', { ...tweet, deleted_at: AT })
    await handle(deleted)
    await handle(deleted)
    expect(await counts(ada)).toEqual({ followers_count: 0, following_count: 0, tweets_count: 1 })
  })

  it('leaves the counts alone for the other events on those topics', async () => {
    const { handle, counts, ada, bob } = await setup()
    await handle(createEvent('block.created', 1, ada, { blocker_id: ada, blocked_id: bob, at: AT }))
    await handle(createEvent('like.created', 1, '10', { tweet_id: '10', user_id: ada, tweet_author_id: bob, like_count: 1, at: AT }))
    for (const id of [ada, bob]) expect(await counts(id)).toEqual({ followers_count: 0, following_count: 0, tweets_count: 0 })
  })
})
