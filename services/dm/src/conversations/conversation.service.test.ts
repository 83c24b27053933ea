import { describe, expect, it } from 'vitest'
import { composeInMemory } from '../compose.memory.ts'

const [me, a, b, c] = ['1', '2', '3', '4']
const ghost = '5'

function setup() {
  const dm = composeInMemory({ [me]: { username: 'me', display_name: 'Me' }, [a]: { username: 'a', display_name: 'A' }, [b]: { username: 'b', display_name: 'B' }, [c]: { username: 'c', display_name: 'C' }, [ghost]: { username: 'ghost', display_name: 'Ghost' } })
  const send = (from: string, recipient_id: string, text: string) => dm.messages.send(from, { recipient_id, text })
  const unread = async (userId: string) => (await dm.conversations.list(userId, { limit: 20 })).items.map((item) => [item.other.id, item.unread_count])
  return { ...dm, send, unread }
}
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)

describe('the list of conversations', () => {
  it('puts the most recently active first, counts what the other person sent since you read it, and shows them by name', async () => {
    const { conversations, send, unread } = setup()
    const fromA = await send(a, me, 'one from a')
    await send(a, me, 'two from a')
    const toB = await send(me, b, 'to b')
    const fromC = await send(c, me, 'from c')
    expect(await unread(me)).toEqual([[c, 1], [b, 0], [a, 2]])
    const { items } = await conversations.list(me, { limit: 20 })
    expect(items[0]).toEqual({ id: fromC.conversation_id, other: { id: c, username: 'c', display_name: 'C' }, last_message: fromC, unread_count: 1 })
    expect(items[1]!.last_message).toEqual(toB)
    // The other side of the same conversations.
    expect(await unread(b)).toEqual([[me, 1]])

    expect(await conversations.markRead(me, fromA.conversation_id)).toEqual({ unread_count: 0 })
    await send(a, me, 'three from a')
    expect(await unread(me)).toEqual([[a, 1], [c, 1], [b, 0]])
  })

  it('pages by last activity, ending with no cursor', async () => {
    const { conversations, send } = setup()
    for (const other of [a, b, c]) await send(other, me, `from ${other}`)
    const first = await conversations.list(me, { limit: 2 })
    expect(first.items.map((item) => item.other.id)).toEqual([c, b])
    const second = await conversations.list(me, { limit: 2, cursor: first.next_cursor! })
    expect(second.items.map((item) => item.other.id)).toEqual([a])
    expect(second.next_cursor).toBeNull()
    expect(await code(conversations.list(me, { limit: 2, cursor: 'garbage' }))).toBe('INVALID_CURSOR')
  })

  it('is empty for someone in no conversation, and marking one read answers anyone but its people as if it did not exist', async () => {
    const { conversations, send } = setup()
    const { conversation_id } = await send(a, b, 'just between us')
    expect(await conversations.list(ghost, { limit: 20 })).toEqual({ items: [], next_cursor: null })
    expect(await code(conversations.markRead(ghost, conversation_id))).toBe('DM_CONVERSATION_NOT_FOUND')
    expect(await code(conversations.markRead(ghost, 'abc'))).toBe('DM_CONVERSATION_NOT_FOUND')
    expect(await code(conversations.markRead(b, conversation_id))).toBe('resolved')
  })
})
