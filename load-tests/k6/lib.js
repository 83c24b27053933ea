// Shared helpers for the k6 scripts: the gateway's address, one function per API call (each checks
// its answer and tags its request), sessions that log in again before the token expires, building
// a small world in setup(), and the realtime journey over the WebSocket.
import http from 'k6/http'
import { check, sleep } from 'k6'
import { Rate, Trend } from 'k6/metrics'
import { WebSocket } from 'k6/websockets'
import { setTimeout, clearTimeout } from 'k6/timers'

export const BASE_URL = (__ENV.GATEWAY_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
// These scripts generate real load: they are for this machine's stack only.
if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(BASE_URL)) {
  throw new Error(`GATEWAY_URL=${BASE_URL}: the load tests only target a gateway on 127.0.0.1`)
}
export const WS_URL = `${BASE_URL.replace(/^http/, 'ws')}/ws`

/** Access tokens live 15 minutes; a session logs in again after this many. */
const TOKEN_MAX_AGE_MS = 10 * 60 * 1000

/** A journey that ran to its end with every check passed (false when a check failed or it threw). */
export const journeyOk = new Rate('journey_ok')
/** Like sent → the liked author's WebSocket got the notification. */
export const notificationDelivery = new Trend('notification_delivery', true)
/** Whether that notification came before the deadline. */
export const notificationReceived = new Rate('notification_received')

const WORDS = ['kafka', 'starling', 'timeline', 'fanout', 'redis', 'nginx', 'latency', 'coffee', 'garden', 'music', 'weekend', 'river', 'sunset', 'bicycle', 'library']
const TAGS = ['k6', 'loadtest', 'streams', 'dev', 'news']

export const pick = (list) => list[Math.floor(Math.random() * list.length)]
export const randomWord = () => pick(WORDS)
export const randomTag = () => pick(TAGS)

/** A unique, valid username (3–30 of [A-Za-z0-9_]). */
export function uniqueName(prefix) {
  const random = Math.floor(Math.random() * 36 ** 6).toString(36)
  return `${prefix}_${Date.now().toString(36)}${random}`.slice(0, 30)
}

export function tweetText() {
  return `${randomWord()} ${randomWord()} and ${randomWord()} #${randomTag()} ${Math.random().toString(36).slice(2, 8)}`
}

/**
 * Request parameters: the endpoint tag (thresholds are per endpoint), the token, and JSON for a
 * body. setup()'s requests are tagged endpoint=setup, out of the journeys' latency thresholds.
 */
function params(endpoint, token, { json = false, setup = false } = {}) {
  const headers = {}
  if (json) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  return { headers, tags: { endpoint: setup ? 'setup' : endpoint, name: endpoint } }
}
const withBody = (endpoint, token) => params(endpoint, token, { json: true })
const forSetup = (endpoint, token, json = true) => params(endpoint, token, { json, setup: true })

/** The JSON body, or null when there is none or it is not JSON (a check then fails, not the VU). */
export function bodyOf(res) {
  try {
    return res.json()
  } catch {
    return null
  }
}

/**
 * Runs one journey and records in journey_ok whether it ended with all its checks passed. An
 * exception (a broken answer the journey could not go on with) counts as a failed journey.
 */
export function journey(fn) {
  let ok = false
  try {
    ok = fn() !== false
  } finally {
    journeyOk.add(ok)
  }
}

// ---- API calls: each returns what the caller needs, or null when the answer was wrong ----

export function register(prefix = 'k6') {
  const username = uniqueName(prefix)
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`
  const res = http.post(`${BASE_URL}/users/register`, JSON.stringify({ username, email: `${username}@example.com`, password }), withBody('register'))
  const body = bodyOf(res)
  if (!check(res, { 'register: 201': (r) => r.status === 201 })) return null
  return { id: body.id, username, password }
}

/** Logs `account` in; sets its token. */
export function login(account) {
  const res = http.post(`${BASE_URL}/users/login`, JSON.stringify({ username: account.username, password: account.password }), withBody('login'))
  const body = bodyOf(res)
  const ok = check(res, { 'login: 200 with an access token': (r) => r.status === 200 && typeof body?.access_token === 'string' })
  if (!ok) return false
  account.token = body.access_token
  account.tokenAt = Date.now()
  return true
}

/** The account's access token, logging in again when it is near its 15 minutes. */
export function session(account) {
  if (!account.token || Date.now() - (account.tokenAt || 0) > TOKEN_MAX_AGE_MS) login(account)
  return account.token
}

export function follow(account, userId) {
  const res = http.post(`${BASE_URL}/follow/`, JSON.stringify({ user_id: userId }), withBody('follow', session(account)))
  return check(res, { 'follow: 200 following': (r) => r.status === 200 && bodyOf(r)?.following === true })
}

export function postTweet(account, text = tweetText()) {
  const res = http.post(`${BASE_URL}/tweets/`, JSON.stringify({ text }), withBody('post', session(account)))
  const body = bodyOf(res)
  return check(res, { 'post: 201 with an id': (r) => r.status === 201 && typeof body?.id === 'string' }) ? body : null
}

export function like(account, tweetId) {
  const res = http.post(`${BASE_URL}/tweets/${tweetId}/like`, null, params('like', session(account)))
  return check(res, { 'like: 200 liked': (r) => r.status === 200 && bodyOf(r)?.liked === true })
}

/** A page of the account's home timeline: `{items, next_cursor}`, or null. */
export function homeTimeline(account, { limit = 20, cursor } = {}) {
  const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
  const res = http.get(`${BASE_URL}/timelines/${account.id}?${query}`, params('timeline', session(account)))
  const body = bodyOf(res)
  return check(res, { 'timeline: 200 with items': (r) => r.status === 200 && Array.isArray(body?.items) }) ? body : null
}

export function getTweet(account, tweetId) {
  const res = http.get(`${BASE_URL}/tweets/${tweetId}`, params('tweet', session(account)))
  return check(res, { 'tweet: 200': (r) => r.status === 200 && bodyOf(r)?.id === tweetId })
}

/** `type` is tweets, users or hashtags; returns the items, or null. */
export function searchFor(account, q, type = 'tweets') {
  const res = http.get(`${BASE_URL}/search/?type=${type}&q=${encodeURIComponent(q)}`, params(`search_${type}`, session(account)))
  const body = bodyOf(res)
  return check(res, { [`search ${type}: 200 with items`]: (r) => r.status === 200 && Array.isArray(body?.items) }) ? body.items : null
}

/** Polls `probe` every `everyMs` until it returns true or `timeoutMs` passes; returns the ms it took, or null. */
export function pollUntil(probe, { timeoutMs = 10_000, everyMs = 50 } = {}) {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (probe()) return Date.now() - started
    sleep(everyMs / 1000)
  }
  return null
}

// ---- the realtime journey ----

/**
 * `author` holds a WebSocket; once it is ready, `liker` likes `tweetId` and the notification must
 * arrive within `timeoutMs`. Records notification_delivery and notification_received. The socket
 * stays open `holdMs` more (a client that stays connected), then closes.
 */
export function likeAndAwaitNotification(author, liker, tweetId, { timeoutMs = 10_000, holdMs = 0 } = {}) {
  const token = session(author)
  const likerToken = session(liker)
  if (!token || !likerToken) {
    notificationReceived.add(false)
    return
  }
  let outcome = false
  let likedAt = 0
  const ws = new WebSocket(WS_URL)
  const deadline = setTimeout(() => {
    notificationReceived.add(false)
    ws.close()
  }, timeoutMs)
  ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }))
  ws.onerror = (event) => console.warn(`websocket error: ${event.error}`)
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data)
    if (message.type === 'ready' && likedAt === 0) {
      likedAt = Date.now()
      if (!like(liker, tweetId)) likedAt = -1
    } else if (message.type === 'notification' && message.data?.type === 'like' && message.data?.tweet_id === tweetId && likedAt > 0 && !outcome) {
      notificationDelivery.add(Date.now() - likedAt)
      notificationReceived.add(true)
      outcome = true
      clearTimeout(deadline)
      if (holdMs > 0) setTimeout(() => ws.close(), holdMs)
      else ws.close()
    }
  }
  ws.onclose = () => clearTimeout(deadline)
  // k6 runs the socket's event loop after this function returns; the iteration ends when it closes.
}

// ---- a small world for setup() ----

/** Runs `requests` (http.batch form) `width` at a time; returns the responses. */
function batched(requests, width = 8) {
  const responses = []
  for (let i = 0; i < requests.length; i += width) responses.push(...http.batch(requests.slice(i, i + width)))
  return responses
}

/**
 * Registers `users` accounts and logs them in; each follows `follows` others at random and the
 * first `popular` accounts (so those gather followers: with a low TIMELINE_CELEBRITY_THRESHOLD
 * they take the read-time merge path), posts `tweets` tweets and reads its timeline once (which
 * makes it an active reader that fanout writes to). Returns the accounts with their tokens.
 */
export function createWorld({ users, follows = 5, popular = 2, tweets = 2, prefix = 'k6' }) {
  const accounts = []
  for (let i = 0; i < users; i++) accounts.push({ username: uniqueName(prefix), password: `pw-${Math.random().toString(36).slice(2)}-${i}` })
  batched(accounts.map((a) => ['POST', `${BASE_URL}/users/register`, JSON.stringify({ username: a.username, email: `${a.username}@example.com`, password: a.password }), forSetup('register')]), 4)
    .forEach((res, i) => {
      if (check(res, { 'setup register: 201': (r) => r.status === 201 })) accounts[i].id = bodyOf(res).id
    })
  const registered = accounts.filter((a) => a.id)
  batched(registered.map((a) => ['POST', `${BASE_URL}/users/login`, JSON.stringify({ username: a.username, password: a.password }), forSetup('login')]), 4)
    .forEach((res, i) => {
      const body = bodyOf(res)
      if (check(res, { 'setup login: 200': (r) => r.status === 200 && body?.access_token })) {
        registered[i].token = body.access_token
        registered[i].tokenAt = Date.now()
      }
    })
  const world = registered.filter((a) => a.token)
  if (world.length < Math.max(2, users / 2)) throw new Error(`setup: only ${world.length} of ${users} accounts could sign up and log in; is the gateway's sign-in limit raised?`)

  const followRequests = []
  world.forEach((a, i) => {
    const targets = new Set(world.slice(0, popular).map((p) => p.id))
    for (let k = 0; k < follows; k++) targets.add(world[(i + 1 + Math.floor(Math.random() * (world.length - 1))) % world.length].id)
    targets.delete(a.id)
    for (const id of targets) followRequests.push(['POST', `${BASE_URL}/follow/`, JSON.stringify({ user_id: id }), forSetup('follow', a.token)])
  })
  batched(followRequests).forEach((res) => check(res, { 'setup follow: 200': (r) => r.status === 200 }))
  const tweetRequests = []
  for (const a of world) for (let k = 0; k < tweets; k++) tweetRequests.push(['POST', `${BASE_URL}/tweets/`, JSON.stringify({ text: tweetText() }), forSetup('post', a.token)])
  batched(tweetRequests).forEach((res) => check(res, { 'setup post: 201': (r) => r.status === 201 }))
  batched(world.map((a) => ['GET', `${BASE_URL}/timelines/${a.id}`, null, forSetup('timeline', a.token, false)]))
  return world
}
