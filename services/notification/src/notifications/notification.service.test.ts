import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import type { Candidate, NotificationType } from './notification-rules.ts'
import { createMemoryInbox } from './notification.repository.memory.ts'
import { createNotificationService } from './notification.service.ts'

const [ada, bob, cyd] = ['1', '2', '3']
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)

/** An inbox for ada holding, oldest first, a notification of each of `types` (from bob). */
async function setup(types: NotificationType[] = []) {
  const { notifications } = createMemoryInbox()
  for (const [i, type] of types.entries()) {
    const candidate: Candidate = { recipientId: ada, type, actorId: bob, tweetId: type === 'follow' ? null : String(100 + i), conversationId: null, createdAt: '2026-01-01T10:00:00.000Z' }
    await notifications.insert(candidate, `event-${i}`)
  }
  return createNotificationService({ notifications })
}
const all = { limit: 20 }

describe('the inbox rules', () => {
  it('show an inbox to its owner alone, and let nobody else mark it read', async () => {
    const service = await setup(['follow'])
    expect(await code(service.inbox(ada, bob, all))).toBe('NTF_NOT_YOURS')
    expect(await code(service.markRead(ada, cyd))).toBe('NTF_NOT_YOURS')
    expect((await service.inbox(ada, ada, all)).unread_count).toBe(1)
  })

  it('page newest first, each notification once, with the unread count of every type', async () => {
    const service = await setup(['follow', 'like', 'retweet', 'reply', 'mention'])
    const first = await service.inbox(ada, ada, { limit: 2 })
    expect(first.items.map((item) => item.type)).toEqual(['mention', 'reply'])
    expect(first.unread_count).toBe(5)
    const second = await service.inbox(ada, ada, { limit: 2, cursor: first.next_cursor! })
    const third = await service.inbox(ada, ada, { limit: 2, cursor: second.next_cursor! })
    expect([...second.items, ...third.items].map((item) => item.type)).toEqual(['retweet', 'like', 'follow'])
    expect(third.next_cursor).toBeNull()
  })

  it('filter by type, a type named twice counting once, and still count every unread one', async () => {
    const service = await setup(['follow', 'like', 'follow', 'retweet'])
    const likes = await service.inbox(ada, ada, { limit: 20, types: 'like,retweet,like' })
    expect(likes.items.map((item) => item.type)).toEqual(['retweet', 'like'])
    expect(likes.unread_count).toBe(4)
    expect(await service.inbox(ada, ada, { limit: 20, types: 'message' })).toEqual({ items: [], unread_count: 4, next_cursor: null })
  })

  it('refuse a cursor they did not give out', async () => {
    const service = await setup(['follow'])
    expect(await code(service.inbox(ada, ada, { limit: 1, cursor: encodeCursor(['x']) }))).toBe('INVALID_CURSOR')
    expect(await code(service.inbox(ada, ada, { limit: 1, cursor: 'garbage' }))).toBe('INVALID_CURSOR')
  })

  it('mark read up to an id and then all of them, answering what is still unread', async () => {
    const service = await setup(['follow', 'like', 'retweet'])
    const [, middle] = (await service.inbox(ada, ada, all)).items
    expect(await service.markRead(ada, ada, middle!.id)).toEqual({ unread_count: 1 })
    expect((await service.inbox(ada, ada, all)).items.map((item) => item.read)).toEqual([false, true, true])
    expect(await service.markRead(ada, ada)).toEqual({ unread_count: 0 })
  })

  it('refuse to mark read up to something that is no notification id', async () => {
    const service = await setup(['follow'])
    expect(await code(service.markRead(ada, ada, '9223372036854775808'))).toBe('NTF_INVALID_ID')
    expect((await service.inbox(ada, ada, all)).unread_count).toBe(1)
  })
})
