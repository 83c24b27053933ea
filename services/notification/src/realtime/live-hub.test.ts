import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { LiveSocket } from './live-connection.ts'
import type { LiveEvent, LiveFeed, StreamState } from './live-event.store.ts'
import { createLiveHub } from './live-hub.ts'

function fakeSocket() {
  const socket = {
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as Record<string, unknown>[],
    closed: undefined as number | undefined,
    send(data: string) { socket.sent.push(JSON.parse(data)) },
    close(code: number) {
      socket.closed = code
      socket.readyState = 3
    },
  }
  return socket satisfies LiveSocket
}

const event = (id: string): LiveEvent => ({ id, kind: 'notification', data: JSON.stringify({ n: id }) })
const ids = (socket: ReturnType<typeof fakeSocket>) => socket.sent.filter((f) => f.type !== 'ready').map((f) => f.id)
// The hub syncs a new socket in the background: this lets it finish.
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** A hub over a feed the test publishes on and streams it holds (`streams`, by user). */
function setup(streams: Record<string, LiveEvent[]> = {}, options: { syncFails?: boolean; markFails?: boolean } = {}) {
  const calls: string[] = []
  const marked: string[][] = []
  let heard: (userId: string, event: LiveEvent) => void = () => {}
  let lost = () => {}
  const feed: LiveFeed = {
    subscribe: async (userId) => { calls.push(`subscribe ${userId}`) },
    unsubscribe: async (userId) => { calls.push(`unsubscribe ${userId}`) },
    onEvent: (listener) => { heard = listener },
    onLost: (listener) => { lost = listener },
    status: 'ready',
    close: async () => {},
  }
  const store = {
    async sync(userId: string, after?: string): Promise<StreamState> {
      if (options.syncFails) throw new Error('Redis is away')
      const held = streams[userId] ?? []
      const events = after === undefined ? [] : held.filter((e) => Number(e.id.split('-')[0]) > Number(after.split('-')[0]))
      return { exists: held.length > 0, lastId: held.at(-1)?.id ?? '0-0', firstId: held[0]?.id, trimmed: false, events }
    },
  }
  const presence = {
    async mark(userIds: string[]) {
      if (options.markFails) throw new Error('Redis is away')
      marked.push(userIds)
    },
  }
  const hub = createLiveHub({ feed, store, presence, logger: pino({ level: 'silent' }), connection: { maxBufferedBytes: 1_000_000, maxQueued: 10 } })
  return { hub, calls, marked, publish: (userId: string, id: string) => heard(userId, event(id)), lose: () => lost() }
}

describe('the live hub', () => {
  it('sends each event of a user to every socket of that user, and to nobody else', async () => {
    const { hub, publish } = setup()
    const [tab1, tab2, other] = [fakeSocket(), fakeSocket(), fakeSocket()]
    hub.attach('7', tab1)
    hub.attach('7', tab2)
    hub.attach('8', other)
    await settle()
    publish('7', '5-0')
    expect(ids(tab1)).toEqual(['5-0'])
    expect(ids(tab2)).toEqual(['5-0'])
    expect(other.sent).toEqual([{ type: 'ready', user_id: '8', last_event_id: '0-0', missed_events: false }])
    expect(hub.size).toBe(3)
  })

  it('replays what the stream holds after the client\'s last id, then live events, each once', async () => {
    const { hub, publish } = setup({ 7: [event('1-0'), event('2-0'), event('3-0')] })
    const socket = fakeSocket()
    hub.attach('7', socket, '1-0')
    await settle()
    publish('7', '3-0')
    publish('7', '4-0')
    expect(socket.sent[0]).toEqual({ type: 'ready', user_id: '7', last_event_id: '1-0', missed_events: false })
    expect(ids(socket)).toEqual(['2-0', '3-0', '4-0'])
  })

  it('listens once per user, and stops listening when the user\'s last socket leaves', async () => {
    const { hub, calls } = setup()
    const [tab1, tab2] = [hub.attach('7', fakeSocket()), hub.attach('7', fakeSocket())]
    await settle()
    hub.detach(tab1)
    expect(calls).toEqual(['subscribe 7'])
    hub.detach(tab2)
    expect(calls).toEqual(['subscribe 7', 'unsubscribe 7'])
    expect(hub.size).toBe(0)
  })

  it('closes every socket with 1012 when the feed is lost, so that clients resume from their last id', async () => {
    const { hub, lose } = setup()
    const [a, b] = [fakeSocket(), fakeSocket()]
    hub.attach('7', a)
    hub.attach('8', b)
    await settle()
    lose()
    expect([a.closed, b.closed]).toEqual([1012, 1012])
  })

  it('closes a socket with 1011 when its replay cannot be read', async () => {
    const { hub } = setup({}, { syncFails: true })
    const socket = fakeSocket()
    hub.attach('7', socket, '1-0')
    await settle()
    expect(socket.closed).toBe(1011)
    expect(socket.sent).toEqual([])
  })

  it('marks a user present when a socket of theirs opens, at each refresh while one is open, and once more as the last one closes', async () => {
    const { hub, marked } = setup()
    const [tab1, tab2] = [hub.attach('7', fakeSocket()), hub.attach('7', fakeSocket())]
    hub.attach('8', fakeSocket())
    await settle()
    expect(marked).toEqual([['7'], ['7'], ['8']])
    marked.length = 0
    await hub.refreshPresence()
    expect(marked).toEqual([['7', '8']])
    hub.detach(tab1)
    expect(marked).toEqual([['7', '8']])
    hub.detach(tab2)
    await settle()
    expect(marked).toEqual([['7', '8'], ['7']])
  })

  it('still serves a socket whose presence could not be marked', async () => {
    const { hub, publish } = setup({}, { markFails: true })
    const socket = fakeSocket()
    hub.attach('7', socket)
    await settle()
    publish('7', '5-0')
    expect(ids(socket)).toEqual(['5-0'])
  })
})
