import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { follower } from './fixtures/service.ts'
import { act, between, watchGraphEvents } from './fixtures/graph.ts'

let watcher: Awaited<ReturnType<typeof watchGraphEvents>>
beforeAll(async () => {
  watcher = await watchGraphEvents()
})
afterAll(() => watcher?.close())

const envelope = (type: string, key: string, payload: Record<string, unknown>) => ({
  id: expect.any(String), type, version: 1, occurred_at: expect.any(String), key, payload,
})
const at = expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/)

describe('graph events on starling.graph.v1', () => {
  it('publishes one follow.created and one follow.deleted per real change, keyed by the follower', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    await act('follow', ada, bob)
    await act('follow', ada, bob)
    const followedAt = (await follower.request(`/following/${ada.id}`)).body.items[0].followed_at
    await act('unfollow', ada, bob)
    await act('unfollow', ada, bob)
    await watcher.caughtUp(ada)

    expect(between(watcher.events.values(), ada, bob)).toEqual([
      envelope('follow.created', ada.id, { follower_id: ada.id, followee_id: bob.id, created_at: followedAt }),
      envelope('follow.deleted', ada.id, { follower_id: ada.id, followee_id: bob.id, reason: 'unfollow', deleted_at: at }),
    ])
  })

  it('publishes block and mute events, and a follow.deleted with reason block for each follow a block ends', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    await act('follow', ada, bob)
    await act('follow', bob, ada)
    await act('block', ada, bob)
    await act('block', ada, bob)
    await act('unblock', ada, bob)
    await act('mute', bob, ada)
    await act('unmute', bob, ada)
    await Promise.all([watcher.caughtUp(ada), watcher.caughtUp(bob)])

    const events = between(watcher.events.values(), ada, bob)
    expect(events.filter((e) => e.key === ada.id)).toEqual([
      envelope('follow.created', ada.id, { follower_id: ada.id, followee_id: bob.id, created_at: at }),
      envelope('block.created', ada.id, { blocker_id: ada.id, blocked_id: bob.id, at }),
      envelope('follow.deleted', ada.id, { follower_id: ada.id, followee_id: bob.id, reason: 'block', deleted_at: at }),
      envelope('block.deleted', ada.id, { blocker_id: ada.id, blocked_id: bob.id, at }),
    ])
    expect(events.filter((e) => e.key === bob.id)).toEqual([
      envelope('follow.created', bob.id, { follower_id: bob.id, followee_id: ada.id, created_at: at }),
      envelope('follow.deleted', bob.id, { follower_id: bob.id, followee_id: ada.id, reason: 'block', deleted_at: at }),
      envelope('mute.created', bob.id, { muter_id: bob.id, muted_id: ada.id, at }),
      envelope('mute.deleted', bob.id, { muter_id: bob.id, muted_id: ada.id, at }),
    ])
  })

  it('keeps state and events consistent under 20 concurrent follows and unfollows of one pair', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const verbs = Array.from({ length: 20 }, (_, i): 'follow' | 'unfollow' => (i % 2 === 0 ? 'follow' : 'unfollow'))
    const responses = await Promise.all(verbs.map((verb) => act(verb, ada, bob)))
    responses.forEach((response, i) => {
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ following: verbs[i] === 'follow' })
    })

    const following = (await follower.request(`/following/${ada.id}`)).body.items.some((u: { id: string }) => u.id === bob.id)
    const followed = (await follower.request(`/followers/${bob.id}`)).body.items.some((u: { id: string }) => u.id === ada.id)
    expect(followed).toBe(following)
    await watcher.caughtUp(ada)

    const types = between(watcher.events.values(), ada, bob).map((e) => e.type)
    const created = types.filter((t) => t === 'follow.created').length
    const deleted = types.filter((t) => t === 'follow.deleted').length
    expect(created).toBeGreaterThan(0)
    expect(created - deleted).toBe(following ? 1 : 0)
    // Each change undoes the one before: never two creates (or deletes) in a row.
    types.forEach((type, i) => expect(type).toBe(i % 2 === 0 ? 'follow.created' : 'follow.deleted'))
  })
})
