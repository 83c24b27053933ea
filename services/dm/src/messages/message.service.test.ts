import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { composeInMemory } from '../compose.memory.ts'

const [ada, bob, cyd] = ['1', '2', '3']
const NOBODY = '404'

const setup = () => composeInMemory({ [ada]: { username: 'ada', display_name: 'Ada' }, [bob]: { username: 'bob', display_name: 'Bob' }, [cyd]: { username: 'cyd', display_name: 'Cyd' } })
const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code)
const to = (recipient_id: string, text: string) => ({ recipient_id, text })

describe('sending a message', () => {
  it('puts both directions into the one conversation of the pair, trimmed, with one message.created each keyed by the conversation', async () => {
    const { messages, events } = setup()
    const first = await messages.send(ada, to(bob, '  hello bob \n'))
    const answer = await messages.send(bob, to(ada, 'hi ada'))
    expect(first).toMatchObject({ sender_id: ada, recipient_id: bob, text: 'hello bob' })
    expect(answer.conversation_id).toBe(first.conversation_id)
    expect(events.map((event) => [event.type, event.key])).toEqual([['message.created', first.conversation_id], ['message.created', first.conversation_id]])
    expect(events[0]!.payload).toEqual({
      message_id: first.id, conversation_id: first.conversation_id, sender_id: ada, recipient_id: bob, text: 'hello bob', created_at: first.created_at,
    })
    expect((await messages.send(ada, to(cyd, 'hi cyd'))).conversation_id).not.toBe(first.conversation_id)
  })

  it('refuses yourself, an unknown recipient or sender, and text out of bounds, before anything is written', async () => {
    const { messages, events, stored } = setup()
    expect(await code(messages.send(ada, to(ada, 'me')))).toBe('DM_SELF')
    expect(await code(messages.send(ada, to(NOBODY, 'anyone?')))).toBe('DM_USER_NOT_FOUND')
    expect(await code(messages.send(NOBODY, to(ada, 'who am I')))).toBe('DM_SENDER_UNKNOWN')
    expect(await code(messages.send(ada, to(bob, ' \n ')))).toBe('DM_TEXT_LENGTH')
    expect(await code(messages.send(ada, to(bob, 'a'.repeat(1001))))).toBe('DM_TEXT_LENGTH')
    expect(events).toEqual([])
    expect(stored.all()).toEqual([])
  })

  it('refuses a message across a block whichever of the two blocked, and sends again once it is lifted', async () => {
    const { messages, events, blocks } = setup()
    blocks.add(`${bob}>${ada}`)
    expect(await code(messages.send(ada, to(bob, 'let me in')))).toBe('DM_BLOCKED')
    expect(await code(messages.send(bob, to(ada, 'go away')))).toBe('DM_BLOCKED')
    expect(events).toEqual([])
    blocks.clear()
    expect((await messages.send(ada, to(bob, 'friends again'))).text).toBe('friends again')
  })

  it('sends once for a retried Idempotency-Key, refuses the key for another body, and keeps keys per sender', async () => {
    const { messages, events, stored } = setup()
    const first = await messages.send(ada, to(bob, 'only once'), 'k1')
    expect(await messages.send(ada, to(bob, 'only once'), 'k1')).toEqual(first)
    expect(await code(messages.send(ada, to(bob, 'something else'), 'k1'))).toBe('DM_IDEMPOTENCY_MISMATCH')
    expect(await code(messages.send(ada, to(cyd, 'only once'), 'k1'))).toBe('DM_IDEMPOTENCY_MISMATCH')
    expect(stored.all()).toHaveLength(1)
    expect(events).toHaveLength(1)
    // Another sender's key of the same name is another key.
    expect((await messages.send(bob, to(ada, 'only once'), 'k1')).sender_id).toBe(bob)
    expect(events).toHaveLength(2)
  })
})

describe('reading a conversation', () => {
  it('pages newest first without duplicates or gaps, for both of its people', async () => {
    const { messages } = setup()
    const sent = []
    for (let i = 0; i < 5; i++) sent.push(await messages.send(i % 2 ? bob : ada, to(i % 2 ? ada : bob, `message ${i}`)))
    const conversationId = sent[0]!.conversation_id
    for (const reader of [ada, bob]) {
      const seen: string[][] = []
      let cursor: string | null = null
      do {
        const page: { items: { id: string }[]; next_cursor: string | null } = await messages.history(reader, conversationId, { limit: 2, ...(cursor ? { cursor } : {}) })
        seen.push(page.items.map((message) => message.id))
        cursor = page.next_cursor
      } while (cursor)
      expect(seen.map((page) => page.length)).toEqual([2, 2, 1])
      expect(seen.flat()).toEqual(sent.map((message) => message.id).reverse())
    }
  })

  it('answers anyone but its two people as if it did not exist, and refuses a cursor it did not give out', async () => {
    const { messages } = setup()
    const { conversation_id } = await messages.send(ada, to(bob, 'just between us'))
    expect(await code(messages.history(cyd, conversation_id, { limit: 20 }))).toBe('DM_CONVERSATION_NOT_FOUND')
    expect(await code(messages.history(cyd, '4611686018427387904', { limit: 20 }))).toBe('DM_CONVERSATION_NOT_FOUND')
    expect(await code(messages.history(ada, conversation_id, { limit: 20, cursor: 'bm9wZQ' }))).toBe('INVALID_CURSOR')
    expect(await code(messages.history(ada, conversation_id, { limit: 20, cursor: encodeCursor(['9223372036854775808']) }))).toBe('INVALID_CURSOR')
  })
})
