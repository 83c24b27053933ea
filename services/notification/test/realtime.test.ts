import { waitFor } from '@starling/shared/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mintToken, newAccount, type Account } from '../../../test/setup/accounts.ts'
import { follow } from '../../../test/setup/social.ts'
import { expectProblem } from './fixtures/inbox.ts'
import { closeSockets, gatewaySocketUrl, liveAs, liveEvents, openSocket, startInstance, type Frame } from './fixtures/live.ts'
import { notification } from './fixtures/service.ts'

// The protocol is tested on instances in this process, beside the stack's (which consumes the
// events): `second` as the stack runs it, `quick` with short timers so its limits show quickly.
// What is about the gateway (its origin, sockets through it) goes through nginx.
let second: Awaited<ReturnType<typeof startInstance>>
let quick: Awaited<ReturnType<typeof startInstance>>
let events: ReturnType<typeof liveEvents>
beforeAll(async () => {
  ;[second, quick] = await Promise.all([startInstance(), startInstance({ WS_AUTH_TIMEOUT_MS: '300', WS_HEARTBEAT_MS: '200' })])
  events = liveEvents()
})
afterAll(async () => {
  await second?.close()
  await quick?.close()
  await events?.close()
})
afterEach(closeSockets)

const ids = (frames: Frame[]) => frames.map((f) => f.id)
const followedBy = async (account: Account) => {
  const fan = await newAccount('fan')
  await follow(fan, account)
  return fan
}
const from = (fan: Account) => (f: Frame) => f.data?.actor?.id === fan.id

describe('the realtime socket', () => {
  it('answers an auth message with ready and sends each event to every socket of the user', async () => {
    const user = await newAccount('user')
    const [tab1, tab2] = await Promise.all([liveAs(user, { url: second.url }), liveAs(user, { url: second.url })])
    expect(tab1.frames[0]).toEqual({ type: 'ready', user_id: user.id, last_event_id: expect.stringMatching(/^\d+-\d+$/), missed_events: false })
    const fan = await followedBy(user)
    const [a] = await tab1.eventsUntil(1, from(fan), 'the follow on tab 1')
    const [b] = await tab2.eventsUntil(1, from(fan), 'the follow on tab 2')
    expect(b).toEqual(a)
  })

  it('replays what a client missed since its last event id, then goes live, each event once and in order', async () => {
    const user = await newAccount('user')
    const watcher = await liveAs(user, { url: second.url })
    const first = await liveAs(user, { url: second.url })
    const fan1 = await followedBy(user)
    const [seen] = await first.eventsUntil(1, from(fan1), 'the first follow')
    first.socket.close()
    const missed = [await followedBy(user), await followedBy(user)]
    await watcher.eventsUntil(3, () => true, 'the two follows while away')

    const back = await liveAs(user, { url: second.url, lastEventId: seen!.id! })
    expect(back.frames[0]).toMatchObject({ type: 'ready', last_event_id: seen!.id, missed_events: false })
    const replayed = await back.eventsUntil(2, () => true, 'the replay')
    expect(replayed.map((f) => f.data.actor.id)).toEqual(missed.map((m) => m.id))
    const fan4 = await followedBy(user)
    await back.eventsUntil(3, () => true, 'the live follow after the replay')
    expect(back.events().at(-1)!.data.actor.id).toBe(fan4.id)
    expect(ids(back.events())).toEqual(ids(watcher.events()).slice(1))
    expect(new Set(ids(back.events())).size).toBe(3)
  })

  it('says when events since the client\'s last id are no longer kept, and replays what is', async () => {
    const user = await newAccount('user')
    const small = liveEvents({ maxEvents: 2 })
    try {
      const sent = []
      for (let i = 0; i < 3; i++) sent.push(await small.store.append(user.id, 'notification', JSON.stringify({ n: i })))
      const back = await liveAs(user, { url: second.url, lastEventId: '0-0' })
      expect(back.frames[0]).toMatchObject({ type: 'ready', missed_events: true })
      expect(ids(await back.eventsUntil(2, () => true, 'the two kept'))).toEqual(sent.slice(1))
      const caughtUp = await liveAs(user, { url: second.url, lastEventId: sent[1]! })
      expect(caughtUp.frames[0]).toMatchObject({ missed_events: false })
      expect(ids(await caughtUp.eventsUntil(1, () => true, 'the last one'))).toEqual([sent[2]])
      const stranger = await newAccount('stranger')
      const never = await liveAs(stranger, { url: second.url, lastEventId: sent[0]! })
      expect(never.frames[0]).toMatchObject({ missed_events: true })
    } finally {
      await small.close()
    }
  })

  it('delivers to sockets on either of two instances, whichever made the event', async () => {
    const user = await newAccount('user')
    const [viaGateway, direct] = await Promise.all([liveAs(user), liveAs(user, { url: second.url })])
    // Made by the stack's instance (its consumer), heard on both.
    const fan = await followedBy(user)
    const [a] = await viaGateway.eventsUntil(1, from(fan), 'the follow through the gateway')
    const [b] = await direct.eventsUntil(1, from(fan), 'the follow on the second instance')
    expect(b).toEqual(a)
    // Made elsewhere (as any instance's worker would), heard on both.
    const id = await events.store.append(user.id, 'notification', JSON.stringify({ made: 'elsewhere' }))
    for (const client of [viaGateway, direct]) expect(await client.next((f) => f.id === id, 'the appended event')).toEqual({ type: 'notification', id, data: { made: 'elsewhere' } })
  })

  it('serves the HTTP inbox from the second instance too', async () => {
    const user = await newAccount('user')
    const response = await fetch(second.url.replace(/^ws/, 'http').replace(/\/ws$/, `/notifications/${user.id}`), { headers: { authorization: `Bearer ${user.token}` } })
    expect(response.status).toBe(200)
  })
})

describe('the realtime socket refuses', () => {
  it.each([
    ['a token that is not one', () => 'not-a-token', 'AUTH_TOKEN_INVALID'],
    ['an expired token', () => mintToken({ id: '1', username: 'x' }, { expiresIn: -10 }), 'AUTH_TOKEN_EXPIRED'],
    ['a token for another audience', () => mintToken({ id: '1', username: 'x' }, { audience: 'elsewhere' }), 'AUTH_TOKEN_INVALID'],
  ])('%s with 4001', async (_case, token, reason) => {
    const client = await openSocket(second.url)
    client.send({ type: 'auth', token: token() })
    expect(await client.closed()).toEqual({ code: 4001, reason })
    expect(client.frames).toEqual([])
  })

  it.each([
    ['text that is not JSON', 'hello'],
    ['a message of another type', { type: 'subscribe', token: 'x' }],
    ['a malformed last_event_id', { type: 'auth', token: 'x', last_event_id: 'yesterday' }],
  ])('%s with 4400', async (_case, message) => {
    const client = await openSocket(second.url)
    client.send(message)
    expect((await client.closed()).code).toBe(4400)
  })

  it('a message over the size limit with 4009, and a frame far over it with 1009', async () => {
    const client = await openSocket(second.url)
    client.send({ type: 'auth', token: 'x'.repeat(5000) })
    expect((await client.closed()).code).toBe(4009)
    const huge = await openSocket(second.url)
    huge.send('x'.repeat(64 * 1024))
    expect((await huge.closed()).code).toBe(1009)
  })

  it('a browser page from another origin with 4003, and lets the gateway\'s own origin in', async () => {
    const foreign = await openSocket(gatewaySocketUrl(), { origin: 'https://evil.example' })
    expect(await foreign.closed()).toEqual({ code: 4003, reason: 'origin not allowed' })
    const user = await newAccount('user')
    const own = await openSocket(gatewaySocketUrl(), { origin: 'http://localhost:8080' })
    own.send({ type: 'auth', token: user.token })
    await own.next((f) => f.type === 'ready', 'ready')
  })

  it('a socket that sends no auth message in time with 4008', async () => {
    const client = await openSocket(quick.url)
    expect(await client.closed()).toEqual({ code: 4008, reason: 'no auth message in time' })
  })

  it('a plain GET of /ws with a 426 problem', async () => {
    const response = await notification.request('/ws')
    await expectProblem(response, 426, 'WS_UPGRADE_REQUIRED')
    expect(response.headers.get('upgrade')).toBe('websocket')
  })
})

describe('a live socket', () => {
  it('is closed with 4001 when its token expires, later when a fresh token renewed it', async () => {
    const user = await newAccount('user')
    const short = { id: user.id, username: user.username }
    // Seconds apart, as token expiry is counted in whole seconds, with room for a busy machine.
    const client = await liveAs({ token: mintToken(short, { expiresIn: 4 }) }, { url: second.url })
    const renewed = mintToken(short, { expiresIn: 6 })
    const renewedExpiry = (JSON.parse(Buffer.from(renewed.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000
    client.send({ type: 'auth', token: renewed })
    await client.next((f) => f.type === 'auth_renewed', 'auth_renewed')
    expect(await client.closed()).toEqual({ code: 4001, reason: 'AUTH_TOKEN_EXPIRED' })
    expect(Date.now()).toBeGreaterThanOrEqual(renewedExpiry)
  })

  it('is closed with 4001 when renewed with another user\'s token', async () => {
    const [user, other] = await Promise.all([newAccount('user'), newAccount('other')])
    const client = await liveAs(user, { url: second.url })
    client.send({ type: 'auth', token: other.token })
    expect((await client.closed()).code).toBe(4001)
  })

  it('is cut off when it stops answering pings, while one that answers stays', async () => {
    const user = await newAccount('user')
    const silent = await openSocket(quick.url, { autoPong: false })
    silent.send({ type: 'auth', token: user.token })
    const healthy = await liveAs(user, { url: quick.url })
    expect((await silent.closed()).code).toBe(1006)
    expect(healthy.isOpen).toBe(true)
  })

  it('is dropped with 4010 when it does not read its events fast enough', async () => {
    // An instance of its own: a client that reads nothing cannot answer pings either, and a
    // heartbeat would cut it off first.
    const third = await startInstance({ WS_MAX_BUFFERED_BYTES: '1024' })
    try {
      const user = await newAccount('user')
      const slow = await liveAs(user, { url: third.url })
      slow.socket.pause()
      const big = JSON.stringify({ padding: 'x'.repeat(256 * 1024) })
      let appended = 0
      await waitFor(async () => {
        await events.store.append(user.id, 'notification', big)
        appended++
        return [...third.app.websocketServer.clients].every((socket) => socket.readyState !== socket.OPEN)
      }, { what: 'the server to give up on the slow socket', timeoutMs: 30_000, intervalMs: 10 })
      slow.socket.resume()
      expect((await slow.closed(40_000)).code).toBe(4010)
      expect(slow.events().length).toBeLessThan(appended)
    } finally {
      await third.close()
    }
  })
})
