import type { EventEnvelope } from '@starling/shared/events'
import { encodeCursor } from '@starling/shared/http'
import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryGraphRepository } from './graph.repository.memory.ts'
import { createGraphService } from './graph.service.ts'

const [ada, bob, cyd] = ['1', '2', '3']
const NOBODY = '404'

function setup() {
  const graph = createMemoryGraphRepository([{ id: ada, username: 'ada' }, { id: bob, username: 'bob' }, { id: cyd, username: 'cyd' }])
  const uow = createMemoryUnitOfWork({ graph })
  const users = { exists: async (id: string) => [ada, bob, cyd].includes(id) }
  return { service: createGraphService({ uow, graph, users }), events: uow.published }
}
const kinds = (events: EventEnvelope[]) => events.map((event) => `${event.type} ${Object.values(event.payload).filter((v) => /^\d+$/.test(String(v))).join('>')}`)
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)

describe('the graph rules', () => {
  it('publishes a follow once however often it is asked, and an unfollow only of a follow that was there', async () => {
    const { service, events } = setup()
    expect(await service.follow(ada, bob)).toEqual({ following: true })
    expect(await service.follow(ada, bob)).toEqual({ following: true })
    expect(await service.unfollow(ada, bob)).toEqual({ following: false })
    expect(await service.unfollow(ada, bob)).toEqual({ following: false })
    expect(kinds(events)).toEqual(['follow.created 1>2', 'follow.deleted 1>2'])
    expect(events[1]!.payload).toMatchObject({ reason: 'unfollow' })
    // Keyed by the follower: one person's graph changes stay in order.
    expect(events.map((event) => event.key)).toEqual([ada, ada])
  })

  it('refuses to act on yourself, or on someone who is not an account, before anything is written', async () => {
    const { service, events } = setup()
    for (const verb of ['follow', 'unfollow', 'block', 'unblock', 'mute', 'unmute'] as const) {
      expect(await code(service[verb](ada, ada))).toBe('FLW_SELF')
      expect(await code(service[verb](ada, NOBODY))).toBe('FLW_USER_NOT_FOUND')
      expect(await code(service[verb](NOBODY, ada))).toBe('FLW_USER_NOT_FOUND')
    }
    expect(await code(service.followers(NOBODY, { limit: 20 }))).toBe('FLW_USER_NOT_FOUND')
    expect(events).toEqual([])
  })

  it('tells a viewer their follows, blocks and mutes with another account, and the other\'s back', async () => {
    const { service } = setup()
    const none = { id: bob, following: false, followed_by: false, blocking: false, blocked_by: false, muting: false }
    expect(await service.relationship(ada, bob)).toEqual(none)
    await service.follow(ada, bob)
    await service.mute(ada, bob)
    expect(await service.relationship(ada, bob)).toEqual({ ...none, following: true, muting: true })
    expect(await service.relationship(bob, ada)).toEqual({ ...none, id: ada, followed_by: true })
    await service.block(bob, ada)
    expect(await service.relationship(ada, bob)).toEqual({ ...none, blocked_by: true, muting: true })
    expect(await code(service.relationship(ada, NOBODY))).toBe('FLW_USER_NOT_FOUND')
  })

  it('ends the follows both ways when one blocks the other, with one event each, and refuses new ones either way while it lasts', async () => {
    const { service, events } = setup()
    await service.follow(ada, bob)
    await service.follow(bob, ada)
    events.length = 0
    expect(await service.block(ada, bob)).toEqual({ blocking: true })
    expect(kinds(events)).toEqual(['block.created 1>2', 'follow.deleted 1>2', 'follow.deleted 2>1'])
    expect(events.slice(1).map((event) => (event.payload as { reason?: string }).reason)).toEqual(['block', 'block'])
    expect(await code(service.follow(bob, ada))).toBe('FLW_BLOCKED')
    expect(await code(service.follow(ada, bob))).toBe('FLW_BLOCKED')
    expect(kinds(events)).toHaveLength(3)

    await service.unblock(ada, bob)
    await service.unblock(ada, bob)
    expect(kinds(events).slice(3)).toEqual(['block.deleted 1>2'])
    expect(await service.follow(bob, ada)).toEqual({ following: true })
  })

  it('mutes without touching follows, and publishes only real changes', async () => {
    const { service, events } = setup()
    await service.follow(ada, bob)
    await service.mute(ada, bob)
    await service.mute(ada, bob)
    await service.unmute(ada, cyd)
    expect(kinds(events)).toEqual(['follow.created 1>2', 'mute.created 1>2'])
    expect((await service.following(ada, { limit: 20 })).items.map((user) => user.id)).toEqual([bob])
    expect((await service.mutes(ada, { limit: 20 })).items).toEqual([{ id: bob, username: 'bob', display_name: 'bob', since: expect.any(String) }])
  })

  it('lists newest first, page by page, and refuses a cursor it did not give out', async () => {
    const { service } = setup()
    await service.follow(bob, ada)
    await service.follow(cyd, ada)
    const first = await service.followers(ada, { limit: 1 })
    expect(first.items.map((user) => user.id)).toEqual([cyd])
    const second = await service.followers(ada, { limit: 1, cursor: first.next_cursor! })
    expect(second).toEqual({ items: [expect.objectContaining({ id: bob })], next_cursor: null })
    expect(await code(service.followers(ada, { limit: 1, cursor: encodeCursor(['soon', bob]) }))).toBe('INVALID_CURSOR')
  })
})
