import { afterEach, describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { untilInbox } from './fixtures/inbox.ts'
import { closeSockets, liveAs } from './fixtures/live.ts'

afterEach(closeSockets)

describe('direct messages, live', () => {
  it('reach the recipient\'s sockets as a message and a notification, the sender\'s other tabs, and both histories', async () => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    const [bobLive, adaLive] = await Promise.all([liveAs(bob), liveAs(ada)])
    const response = await gateway('/messages/', { token: ada.token, body: { recipient_id: bob.id, text: 'are you there?' } })
    expect(response.status).toBe(201)
    const message = response.body

    const [frame] = await bobLive.eventsUntil(1, (f) => f.type === 'message', 'the message on bob\'s socket')
    expect(frame!.data).toEqual(message)
    const [notice] = await bobLive.eventsUntil(1, (f) => f.type === 'notification', 'the notification on bob\'s socket')
    expect(notice!.data).toMatchObject({ type: 'message', actor: { id: ada.id, username: ada.username }, conversation_id: message.conversation_id, read: false })
    // The message comes before its notification, with a smaller id.
    expect(bobLive.events().map((f) => f.type)).toEqual(['message', 'notification'])

    const [echo] = await adaLive.eventsUntil(1, (f) => f.type === 'message', 'the message on ada\'s other tab')
    expect(echo!.data).toEqual(message)
    expect(adaLive.events().some((f) => f.type === 'notification')).toBe(false)

    const inbox = await untilInbox(bob, (items) => items.length === 1, 'the message notification')
    expect(inbox.items[0]).toEqual(notice!.data)
    for (const reader of [ada, bob]) {
      expect((await gateway(`/messages/${message.conversation_id}`, { token: reader.token })).body.items).toEqual([message])
    }
  })
})
