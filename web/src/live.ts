import { signal } from '@preact/signals'
import type { Message, Notification, Tweet } from './api.ts'
import { accessToken, me, tokenListeners } from './session.ts'

// The one WebSocket (/ws, the notification service): notifications, direct messages and new tweets
// of the home timeline, each frame with a stream id to replay from after a reconnect.
export type LiveFrame =
  | { type: 'notification'; id: string; data: Notification }
  | { type: 'message'; id: string; data: Message }
  | { type: 'tweet'; id: string; data: Tweet }
  | { type: 'tweet_deleted'; id: string; data: { tweet_id: string } }

export const connected = signal(false)
const listeners = new Set<(frame: LiveFrame) => void>()

/** Subscribes to live frames; returns the unsubscribe. */
export function onLive(listener: (frame: LiveFrame) => void) {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

let socket: WebSocket | null = null
let lastEventId: string | undefined
let attempts = 0
let retry: ReturnType<typeof setTimeout> | undefined

export function startLive() {
  if (socket || !me.value) return
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`)
  socket = ws
  ws.onopen = async () => {
    const token = await accessToken()
    if (!token) return ws.close()
    ws.send(JSON.stringify({ type: 'auth', token, ...(lastEventId ? { last_event_id: lastEventId } : {}) }))
  }
  ws.onmessage = (event) => {
    let frame: { type: string; id?: string; last_event_id?: string }
    try {
      frame = JSON.parse(String(event.data))
    } catch {
      return
    }
    if (frame.type === 'ready') {
      connected.value = true
      attempts = 0
      lastEventId = frame.last_event_id ?? lastEventId
      return
    }
    if (frame.id) lastEventId = frame.id
    for (const listener of listeners) listener(frame as LiveFrame)
  }
  ws.onclose = () => {
    connected.value = false
    if (socket === ws) socket = null
    if (!me.value) return
    // Backs off to 30 s; a bad token (4001) is refreshed by accessToken() on the next open.
    const delay = Math.min(30_000, 500 * 2 ** attempts++)
    retry = setTimeout(startLive, delay)
  }
}

export function stopLive() {
  clearTimeout(retry)
  lastEventId = undefined
  const ws = socket
  socket = null
  ws?.close(1000)
  connected.value = false
}

// A refreshed token renews the open socket's (it would close when the old one expires).
tokenListeners.add((token) => {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'auth', token }))
})
