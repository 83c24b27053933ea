import { describe, expect, it } from 'vitest'
import { createLiveConnection, type LiveSocket } from './live-connection.ts'
import type { LiveEvent } from './live-event.store.ts'

function fakeSocket() {
  const socket = {
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as Record<string, unknown>[],
    closed: undefined as { code: number; reason: string } | undefined,
    send(data: string) { socket.sent.push(JSON.parse(data)) },
    close(code: number, reason: string) {
      socket.closed = { code, reason }
      socket.readyState = 2
    },
  }
  return socket satisfies LiveSocket
}

const event = (id: string): LiveEvent => ({ id, kind: 'notification', data: JSON.stringify({ n: id }) })
const ids = (socket: ReturnType<typeof fakeSocket>) => socket.sent.filter((f) => f.type !== 'ready').map((f) => f.id)

describe('live connection', () => {
  it('holds live events while syncing, then sends ready, the replay and the held events once each, in order', () => {
    const socket = fakeSocket()
    const connection = createLiveConnection('7', socket, { maxBufferedBytes: 1000, maxQueued: 10 })
    connection.deliver(event('100-1'))
    connection.deliver(event('100-2'))
    expect(socket.sent).toEqual([])
    connection.start('99-0', [event('100-0'), event('100-1')], false)
    connection.deliver(event('100-2'))
    connection.deliver(event('101-0'))
    expect(socket.sent[0]).toEqual({ type: 'ready', user_id: '7', last_event_id: '99-0', missed_events: false })
    expect(ids(socket)).toEqual(['100-0', '100-1', '100-2', '101-0'])
    expect(socket.sent[1]).toEqual({ type: 'notification', id: '100-0', data: { n: '100-0' } })
    expect(connection.lastId).toBe('101-0')
  })

  it('sends nothing at or before the point it resumes from', () => {
    const socket = fakeSocket()
    const connection = createLiveConnection('7', socket, { maxBufferedBytes: 1000, maxQueued: 10 })
    connection.deliver(event('5-0'))
    connection.start('5-0', [], true)
    connection.deliver(event('4-9'))
    connection.deliver(event('6-0'))
    expect(socket.sent[0]).toMatchObject({ type: 'ready', missed_events: true })
    expect(ids(socket)).toEqual(['6-0'])
  })

  it('drops a client whose unsent bytes are over the cap, with 4010, and sends it nothing more', () => {
    const socket = fakeSocket()
    const connection = createLiveConnection('7', socket, { maxBufferedBytes: 1000, maxQueued: 10 })
    connection.start('0-0', [], false)
    connection.deliver(event('1-0'))
    socket.bufferedAmount = 1001
    connection.deliver(event('2-0'))
    socket.bufferedAmount = 0
    connection.deliver(event('3-0'))
    expect(ids(socket)).toEqual(['1-0'])
    expect(socket.closed).toEqual({ code: 4010, reason: expect.stringMatching(/too slow/) })
    expect(connection.state).toBe('closed')
  })

  it('drops a client when too many events pile up before it is synced', () => {
    const socket = fakeSocket()
    const connection = createLiveConnection('7', socket, { maxBufferedBytes: 1000, maxQueued: 2 })
    for (const id of ['1-0', '2-0', '3-0']) connection.deliver(event(id))
    expect(socket.closed?.code).toBe(4010)
    connection.start('0-0', [], false)
    expect(socket.sent).toEqual([])
  })
})
