import { EventEmitter } from 'node:events'
import { platformErrors } from '@starling/shared/errors'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebSocket } from 'ws'
import type { LiveConnection } from './live-connection.ts'
import { createSessions } from './ws-session.ts'

/** A socket as the session sees it: it records how the server closed it. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1
  readyState = 1
  closed: { code: number; reason: string } | undefined
  close(code: number, reason: string) {
    if (this.closed) return
    this.closed = { code, reason }
    this.readyState = 3
    this.emit('close', code)
  }
  /** The client sends a text message. */
  say(message: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(message)), false)
  }
}

/** A token as the session reads it (its expiry); `verify` below stands in for the signature check. */
const token = (userId: string, sessionId: string, expiresInSeconds = 600) =>
  `x.${Buffer.from(JSON.stringify({ sub: userId, sid: sessionId, exp: Math.floor(Date.now() / 1000) + expiresInSeconds })).toString('base64url')}.sig`

function setup() {
  const attached: { userId: string; after: string | undefined; frames: Record<string, unknown>[] }[] = []
  const hub = {
    attach(userId: string, socket: { close(code: number, reason: string): void }, after?: string) {
      const frames: Record<string, unknown>[] = []
      attached.push({ userId, after, frames })
      return { userId, close: (code: number, reason: string) => socket.close(code, reason), control: (frame: Record<string, unknown>) => frames.push(frame) } as unknown as LiveConnection
    },
    detach: vi.fn(),
  }
  const sessions = createSessions({
    hub,
    verify(value) {
      const claims = JSON.parse(Buffer.from(value.split('.')[1] ?? '', 'base64url').toString() || 'null') as { sub: string; sid: string; exp: number } | null
      if (!claims) throw platformErrors.AUTH_TOKEN_INVALID('not a token')
      if (claims.exp * 1000 <= Date.now()) throw platformErrors.AUTH_TOKEN_EXPIRED('expired')
      return { id: claims.sub, username: `u${claims.sub}`, sessionId: claims.sid }
    },
    allowedOrigins: new Set(['https://starling.example']),
    authTimeoutMs: 5000,
    maxMessageBytes: 4096,
    logger: pino({ level: 'silent' }),
  })
  const open = (origin?: string) => {
    const socket = new FakeSocket()
    sessions.open(socket as unknown as WebSocket, origin)
    return socket
  }
  return { sessions, open, attached, hub }
}

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('a socket session', () => {
  it('refuses a browser page from an origin not allowed with 4003, and lets the allowed one and non-browsers in', () => {
    const { open, attached } = setup()
    expect(open('https://evil.example').closed).toEqual({ code: 4003, reason: 'origin not allowed' })
    for (const origin of ['https://starling.example', undefined]) open(origin).say({ type: 'auth', token: token('7', 's1') })
    expect(attached.map((a) => a.userId)).toEqual(['7', '7'])
  })

  it('closes a socket that sends no auth message in time with 4008, and one with a bad token with 4001', () => {
    const { open } = setup()
    const silent = open()
    vi.advanceTimersByTime(4999)
    expect(silent.closed).toBeUndefined()
    vi.advanceTimersByTime(1)
    expect(silent.closed).toEqual({ code: 4008, reason: 'no auth message in time' })
    const bad = open()
    bad.say({ type: 'auth', token: 'garbage' })
    expect(bad.closed).toEqual({ code: 4001, reason: 'AUTH_TOKEN_INVALID' })
  })

  it('resumes from the last event id of the first auth message, and renews with a fresh token of the same user only', () => {
    const { open, attached } = setup()
    const socket = open()
    socket.say({ type: 'auth', token: token('7', 's1'), last_event_id: '5-0' })
    socket.say({ type: 'auth', token: token('7', 's1', 1200), last_event_id: '9-0' })
    expect(attached).toEqual([{ userId: '7', after: '5-0', frames: [{ type: 'auth_renewed' }] }])
    socket.say({ type: 'auth', token: token('8', 's2') })
    expect(socket.closed).toEqual({ code: 4001, reason: 'the new token is for another user' })
  })

  it('closes at the token\'s expiry with 4001, later when it was renewed', () => {
    const { open } = setup()
    const socket = open()
    socket.say({ type: 'auth', token: token('7', 's1', 60) })
    vi.advanceTimersByTime(30_000)
    socket.say({ type: 'auth', token: token('7', 's1', 120) })
    vi.advanceTimersByTime(60_000)
    expect(socket.closed).toBeUndefined()
    vi.advanceTimersByTime(61_000)
    expect(socket.closed).toEqual({ code: 4001, reason: 'AUTH_TOKEN_EXPIRED' })
  })

  it('closes every socket of a revoked login with 4001, and no other', () => {
    const { open, sessions, hub } = setup()
    const [phone, laptop, other] = [open(), open(), open()]
    phone.say({ type: 'auth', token: token('7', 'ended') })
    laptop.say({ type: 'auth', token: token('7', 'ended') })
    other.say({ type: 'auth', token: token('7', 'still') })
    sessions.revoke('ended')
    expect([phone.closed, laptop.closed]).toEqual([{ code: 4001, reason: 'AUTH_TOKEN_REVOKED' }, { code: 4001, reason: 'AUTH_TOKEN_REVOKED' }])
    expect(other.closed).toBeUndefined()
    expect(hub.detach).toHaveBeenCalledTimes(2)
  })

  it('refuses a message that is not the protocol\'s with 4400, and one over the size limit with 4009', () => {
    const { open } = setup()
    const wrong = open()
    wrong.say({ type: 'subscribe' })
    expect(wrong.closed?.code).toBe(4400)
    const large = open()
    large.say({ type: 'auth', token: 'x'.repeat(5000) })
    expect(large.closed?.code).toBe(4009)
  })
})
