import { createEvent } from '@starling/shared/events'
import { describe, expect, it } from 'vitest'
import { createMemoryPresenceStore } from '../realtime/presence.store.memory.ts'
import { createHomeAudience } from './home-audience.ts'
import { createMemoryHomeRepository } from './home.repository.memory.ts'

const at = '2026-01-01T10:00:00.000Z'
const author = '1'

/** An author with `followers` followers (ids 100…), and `online` users present (ids 100… too, so the first ones follow). */
async function setup(followers: number, online: string[]) {
  const { home, calls } = createMemoryHomeRepository(() => true)
  for (let i = 0; i < followers; i++) {
    const id = String(100 + i)
    await home.handle(createEvent('follow.created', 1, id, { follower_id: id, followee_id: author, created_at: at }))
  }
  const presence = createMemoryPresenceStore()
  for (const id of online) presence.present.add(id)
  return { audience: createHomeAudience({ presence, home }), presence, calls }
}

describe('the audience of a new tweet', () => {
  it('is the author and their followers who are present, whichever side is smaller', async () => {
    for (const [followers, online] of [[3, ['1', '100', '102', '900', '901', '902', '903']], [50, ['1', '100', '102', '900']]] as const) {
      const { audience } = await setup(followers, [...online])
      expect((await audience.of(author)).sort()).toEqual(['1', '100', '102'])
    }
  })

  it('looks an ordinary author\'s few followers up in the presence set', async () => {
    const { audience, presence } = await setup(3, ['100', '900', '901', '902', '903'])
    expect(await audience.of(author)).toEqual(['100'])
    expect(presence.calls).toEqual({ count: 1, among: 1, all: 0 })
  })

  it('reads a high-follower author\'s followers no further than the number present, and probes those present instead', async () => {
    const { audience, presence, calls } = await setup(1000, ['100', '5000'])
    expect(await audience.of(author)).toEqual(['100'])
    expect(presence.calls).toEqual({ count: 1, among: 0, all: 1 })
    expect(calls.followers).toBe(1)
  })

  it('is nobody, at the cost of one count, when nobody is present', async () => {
    const { audience, presence, calls } = await setup(10, [])
    expect(await audience.of(author)).toEqual([])
    expect(presence.calls).toEqual({ count: 1, among: 0, all: 0 })
    expect(calls.followers).toBe(0)
  })
})
