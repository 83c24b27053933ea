import { CloseCode } from './close-codes.ts'
import { frameOf, type LiveEvent } from './live-event.store.ts'
import { compareStreamIds, START } from './stream-id.ts'

/** The part of a ws WebSocket a connection uses (a fake in unit tests). */
export interface LiveSocket {
  readonly readyState: number
  readonly bufferedAmount: number
  send(data: string): void
  close(code: number, reason: string): void
}

const OPEN = 1

export interface LiveConnectionOptions {
  /** Unsent bytes allowed before the client counts as too slow and is dropped. */
  maxBufferedBytes: number
  /** Live events held while the replay is read, before the client counts as too slow. */
  maxQueued: number
}

/**
 * One authenticated socket's delivery: while it is being synced (subscribed, then replayed) live
 * events wait in a queue; then it gets `ready`, the replay, the queue and live events, each event
 * once and in id order, whether it came by replay or live.
 */
export function createLiveConnection(userId: string, socket: LiveSocket, options: LiveConnectionOptions) {
  let state: 'syncing' | 'live' | 'closed' = 'syncing'
  let lastId = START
  const queue: LiveEvent[] = []

  function close(code: number, reason: string) {
    if (state === 'closed') return
    state = 'closed'
    queue.length = 0
    if (socket.readyState === OPEN) socket.close(code, reason)
  }

  function send(text: string): boolean {
    if (state === 'closed' || socket.readyState !== OPEN) return false
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      close(CloseCode.tooSlow, 'too slow: events are piling up unsent')
      return false
    }
    socket.send(text)
    return true
  }

  function sendEvent(event: LiveEvent) {
    if (compareStreamIds(event.id, lastId) <= 0) return
    if (send(frameOf(event))) lastId = event.id
  }

  return {
    userId,
    get lastId() { return lastId },
    get state() { return state },

    deliver(event: LiveEvent) {
      if (state === 'live') sendEvent(event)
      else if (state === 'syncing') {
        if (queue.length >= options.maxQueued) close(CloseCode.tooSlow, 'too slow: events are piling up unsent')
        else queue.push(event)
      }
    },

    /** Goes live from `resumeFrom`: `ready`, then the replayed events, then those that came meanwhile. */
    start(resumeFrom: string, replay: LiveEvent[], missed: boolean) {
      if (state !== 'syncing') return
      lastId = resumeFrom
      send(JSON.stringify({ type: 'ready', user_id: userId, last_event_id: resumeFrom, missed_events: missed }))
      for (const event of replay) sendEvent(event)
      for (const event of queue.splice(0)) sendEvent(event)
      if (state === 'syncing') state = 'live'
    },

    /** A control frame (not an event: it has no id and is not replayed). */
    control: (frame: Record<string, unknown>) => send(JSON.stringify(frame)),

    close,
  }
}
export type LiveConnection = ReturnType<typeof createLiveConnection>
