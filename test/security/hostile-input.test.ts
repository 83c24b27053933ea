import http from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import { newAccount, type Account } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { png } from '../../services/media/test/fixtures/images.ts'
import { gateway } from '../setup/http.ts'
import { sendPicture, settled } from '../setup/media.ts'
import { post } from '../setup/social.ts'
import { recordSecurityResult } from './record.ts'

// Hostile input on every documented route: each route has a request that works (below), and each
// of its fields, parameters and headers is then replaced with something a hostile client would
// send. Every answer must be a 4xx problem+json, promptly: never a 5xx, never a hang.

interface Context { me: Account; other: Account; tweetId: string; conversationId: string; refreshToken: string; pictureId: string }
interface Call { params?: Record<string, string>; query?: Record<string, string>; body?: Record<string, unknown>; token?: string }

const ROUTES: Record<string, (c: Context) => Call> = {
  'POST /users/register': () => ({ body: { username: `h_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`, email: `h${Date.now()}${Math.random()}@example.com`.replace('0.', ''), password: 'correct horse battery', display_name: 'Hostile' } }),
  'POST /users/login': (c) => ({ body: { username: c.me.username, password: c.me.password } }),
  'POST /users/refresh': (c) => ({ body: { refresh_token: c.refreshToken } }),
  'POST /users/logout': () => ({ body: { refresh_token: 'not-a-token-anyone-has' } }),
  'GET /users/me': (c) => ({ token: c.me.token }),
  'PATCH /users/me': (c) => ({ token: c.me.token, body: { display_name: 'Still me', bio: 'a bio', avatar_media_id: c.pictureId } }),
  'GET /users/{user_id}': (c) => ({ params: { user_id: c.other.id } }),
  'GET /users/by-username/{username}': (c) => ({ params: { username: c.other.username } }),
  'GET /users/{user_id}/tweets': (c) => ({ params: { user_id: c.me.id }, query: { limit: '5' } }),
  'POST /tweets/': (c) => ({ token: c.me.token, body: { text: 'hello', reply_to_id: c.tweetId, media_ids: [c.pictureId] } }),
  'GET /tweets/{id}': (c) => ({ params: { id: c.tweetId } }),
  'DELETE /tweets/{id}': (c) => ({ token: c.other.token, params: { id: c.tweetId } }),
  'GET /tweets/{id}/replies': (c) => ({ params: { id: c.tweetId }, query: { limit: '5' } }),
  'POST /tweets/{id}/like': (c) => ({ token: c.other.token, params: { id: c.tweetId } }),
  'DELETE /tweets/{id}/like': (c) => ({ token: c.other.token, params: { id: c.tweetId } }),
  'POST /tweets/{id}/retweet': (c) => ({ token: c.other.token, params: { id: c.tweetId } }),
  'DELETE /tweets/{id}/retweet': (c) => ({ token: c.other.token, params: { id: c.tweetId } }),
  'POST /follow/': (c) => ({ token: c.me.token, body: { user_id: c.other.id } }),
  'POST /unfollow/': (c) => ({ token: c.me.token, body: { user_id: c.other.id } }),
  'POST /block/': (c) => ({ token: c.me.token, body: { user_id: '1' } }),
  'POST /unblock/': (c) => ({ token: c.me.token, body: { user_id: '1' } }),
  'POST /mute/': (c) => ({ token: c.me.token, body: { user_id: '1' } }),
  'POST /unmute/': (c) => ({ token: c.me.token, body: { user_id: '1' } }),
  'GET /followers/{user_id}': (c) => ({ params: { user_id: c.me.id }, query: { limit: '5' } }),
  'GET /following/{user_id}': (c) => ({ params: { user_id: c.me.id }, query: { limit: '5' } }),
  'GET /blocks': (c) => ({ token: c.me.token, query: { limit: '5' } }),
  'GET /mutes': (c) => ({ token: c.me.token, query: { limit: '5' } }),
  'GET /relationships/{user_id}': (c) => ({ token: c.me.token, params: { user_id: c.other.id } }),
  'GET /timelines/{user_id}': (c) => ({ token: c.me.token, params: { user_id: c.me.id }, query: { limit: '5' } }),
  'GET /search/': () => ({ query: { q: 'hello', type: 'tweets', limit: '5' } }),
  'GET /notifications/{user_id}': (c) => ({ token: c.me.token, params: { user_id: c.me.id }, query: { limit: '5', types: 'like,follow' } }),
  'POST /notifications/{user_id}/read': (c) => ({ token: c.me.token, params: { user_id: c.me.id }, body: { up_to_id: c.tweetId } }),
  'POST /messages/': (c) => ({ token: c.me.token, body: { recipient_id: c.other.id, text: 'psst' } }),
  'GET /conversations': (c) => ({ token: c.me.token, query: { limit: '5' } }),
  'GET /messages/{conversation_id}': (c) => ({ token: c.me.token, params: { conversation_id: c.conversationId }, query: { limit: '5' } }),
  'POST /messages/{conversation_id}/read': (c) => ({ token: c.me.token, params: { conversation_id: c.conversationId } }),
  'POST /media': (c) => ({ token: c.me.token, body: { content_type: 'image/png', size: 1000, alt_text: 'a picture' } }),
  'GET /media/{id}': (c) => ({ token: c.me.token, params: { id: c.tweetId } }),
  'POST /media/{id}/complete': (c) => ({ token: c.me.token, params: { id: c.tweetId } }),
  'GET /ws': () => ({}),
}

const HOSTILE_TEXT = ['a\u0000b', '\u0000', 'x\ud800', '\udfffy', 'x\ud800\ud800y']
const HOSTILE_IDS = ['9223372036854775808', '99999999999999999999', '18446744073709551616', '-1', '1e3', '0x10', ' 1', '\u0000', 'a'.repeat(3000)]
/** Text in a URL: UTF-8 cannot carry an unpaired surrogate, so its bytes come percent-encoded, raw, and so do bytes that are no UTF-8. */
const HOSTILE_URL_TEXT = ['a%00b', '%ED%A0%80', 'x%FFy', '%C3', '%00']
const HOSTILE_QUERY = {
  limit: ['abc', '-1', '1e10', '99999999999999999999', '\u0000'],
  cursor: ['garbage', Buffer.from('["99999999999999999999"]').toString('base64url'), Buffer.from('[{"__proto__":1}]').toString('base64url'), Buffer.from('\u0000').toString('base64url'), '\ud800'],
}
/** Values for body fields that are not text: ids and the like, of the wrong type or range. */
const HOSTILE_VALUES: unknown[] = ['9223372036854775808', 12, -1, 1e300, true, {}, [], ['1']]
/** Values for body fields that are lists of ids: too long, repeated, or holding what is not an id. */
const HOSTILE_ID_LISTS: unknown[] = [['1', '2', '3', '4', '5'], ['7', '7'], [null], [{}], [12], ['9223372036854775808'], [''], ['\u0000'], ['a'.repeat(3000)], 'not a list', {}]
/** Values for body fields that are counts or sizes: of the wrong type, out of range, or not whole. */
const HOSTILE_NUMBERS: unknown[] = ['12', 0, -1, 1.5, 1e300, 2 ** 53 + 1, Number.MAX_VALUE, true, null, {}, [], [1]]

interface Probe { route: string; what: string; method: string; path: string; headers: Record<string, string>; body?: string | Buffer }

function build(route: string, call: Call, change: { params?: Record<string, string>; query?: Record<string, string>; rawQuery?: Record<string, string>; body?: string | Buffer; method?: string; headers?: Record<string, string> } = {}): Omit<Probe, 'what'> {
  const [method, template] = route.split(' ') as [string, string]
  const params = { ...call.params, ...change.params }
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''))
  // Values in change.rawQuery go into the URL as they are (already percent-encoded, or not UTF-8).
  const encoded = Object.entries({ ...call.query, ...change.query }).filter(([name]) => !(name in (change.rawQuery ?? {})))
  const query = [new URLSearchParams(encoded).toString(), ...Object.entries(change.rawQuery ?? {}).map(([k, v]) => `${k}=${v}`)].filter(Boolean).join('&')
  const headers: Record<string, string> = { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...change.headers }
  const body = change.body ?? (call.body ? JSON.stringify(call.body) : undefined)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  return { route, method: change.method ?? method, path: `${path}${query ? `?${query}` : ''}`, headers, ...(body === undefined ? {} : { body }) }
}

/** Every hostile variant of one route's working request. */
function probes(route: string, call: Call): Probe[] {
  const out: Probe[] = []
  const add = (what: string, change: Parameters<typeof build>[2]) => out.push({ what, ...build(route, call, change) })
  for (const name of Object.keys(call.params ?? {})) for (const value of HOSTILE_IDS) add(`path ${name}=${JSON.stringify(value).slice(0, 40)}`, { params: { [name]: value } })
  for (const name of Object.keys(call.query ?? {})) {
    for (const value of HOSTILE_QUERY[name as keyof typeof HOSTILE_QUERY] ?? []) add(`query ${name}=${JSON.stringify(value).slice(0, 40)}`, { query: { [name]: value } })
    for (const value of HOSTILE_URL_TEXT) add(`query ${name}=${value} (raw)`, { rawQuery: { [name]: value } })
  }
  if (!Object.keys(call.query ?? {}).includes('cursor') && Object.keys(call.query ?? {}).includes('limit')) {
    for (const value of HOSTILE_QUERY.cursor) add(`query cursor=${JSON.stringify(value).slice(0, 40)}`, { query: { cursor: value } })
  }
  for (const [name, valid] of Object.entries(call.body ?? {})) {
    const values = Array.isArray(valid) ? HOSTILE_ID_LISTS : typeof valid === 'number' ? HOSTILE_NUMBERS
      : typeof valid === 'string' && !name.endsWith('_id') ? [...HOSTILE_TEXT, ...HOSTILE_VALUES.slice(1)] : [...HOSTILE_VALUES, ...HOSTILE_IDS]
    for (const value of values) add(`body ${name}=${JSON.stringify(value)?.slice(0, 40)}`, { body: JSON.stringify({ ...call.body, [name]: value }) })
  }
  if (call.body) {
    const json = JSON.stringify(call.body)
    const [first] = Object.keys(call.body)
    add('body with __proto__', { body: `{"__proto__":{"admin":true},${json.slice(1)}` })
    add('body with constructor.prototype', { body: `{"constructor":{"prototype":{"admin":true}},${json.slice(1)}` })
    add('body with a duplicate key', { body: `{"${first}":"\\u0000",${json.slice(1)}` })
    add('body 5000 levels deep', { body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` })
    add('body 100k array', { body: `[${'1,'.repeat(20_000)}1]` })
    add('body of invalid UTF-8', { body: Buffer.concat([Buffer.from(json.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]) })
    add('body not JSON', { body: '{"unterminated": ' })
    add('body as a form', { body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    add('body a JSON string', { body: '"just a string"' })
  }
  add('a 9 KB header', { headers: { 'x-padding': 'p'.repeat(9 * 1024) } })
  add('100 headers of 1 KB', { headers: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-padding-${i}`, 'p'.repeat(1024)])) })
  if (call.token) add('an Authorization header that is not a token', { headers: { authorization: `Bearer ${'\u00e9'.repeat(10)}` } })
  for (const method of ['TRACE', 'PROPFIND', 'PURGE', 'BREW']) add(`method ${method}`, { method })
  return out
}

type Outcome = { probe: Probe; status: number; type: string | null; bodyStatus: unknown } | { probe: Probe; error: string }

/** node:http rather than fetch, which refuses some methods (TRACE) and headers a hostile client sends. */
function send(probe: Probe): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.request(`${testEnv.gatewayUrl}${probe.path}`, { method: probe.method, headers: probe.headers, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        let bodyStatus: unknown
        try { bodyStatus = (JSON.parse(Buffer.concat(chunks).toString()) as { status?: unknown }).status } catch { bodyStatus = undefined }
        resolve({ probe, status: response.statusCode ?? 0, type: response.headers['content-type'] ?? null, bodyStatus })
      })
    })
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')))
    request.on('error', (error) => resolve({ probe, error: `${error.name}: ${error.message}` }))
    request.end(probe.body)
  })
}

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>) {
  const results: R[] = []
  for (let i = 0; i < items.length; i += width) results.push(...await Promise.all(items.slice(i, i + width).map(work)))
  return results
}

let context: Context
beforeAll(async () => {
  const [me, other] = await Promise.all([newAccount('hostile'), newAccount('target')])
  const tweet = await post(me, 'a tweet to aim at')
  const message = await gateway('/messages/', { token: me.token, body: { recipient_id: other.id, text: 'hello' } })
  const login = await gateway('/users/login', { body: { username: me.username, password: me.password } })
  // A ready picture of the caller's, for the fields that take one.
  const pictureId = await sendPicture(me, await png(), 'image/png')
  await settled(me, pictureId)
  context = { me, other, tweetId: tweet.id, conversationId: message.body.conversation_id, refreshToken: login.body.refresh_token, pictureId }
})

describe('hostile input on every documented route', () => {
  it('has a working request for every route the API documents', async () => {
    const spec = (await gateway('/docs/openapi.json')).body as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    expect(documented.toSorted()).toEqual(Object.keys(ROUTES).toSorted())
  })

  it('answers every variant with a 4xx problem+json, never a 5xx or a hang', async () => {
    const all = Object.entries(ROUTES).flatMap(([route, make]) => probes(route, make(context)))
    expect(all.length).toBeGreaterThan(900)
    const outcomes = await inBatches(all, 8, send)
    const bad = outcomes.flatMap((o) => {
      const where = `${o.probe.route} with ${o.probe.what}`
      if ('error' in o) return [`${where}: ${o.error}`]
      // A 429 would say nothing of the input: the sweep needs the tests' raised limits.
      if (o.status < 400 || o.status >= 500 || o.status === 429) return [`${where}: ${o.status}`]
      if (!o.type?.startsWith('application/problem+json')) return [`${where}: ${o.status} as ${o.type}`]
      if (o.bodyStatus !== o.status) return [`${where}: ${o.status} saying "status": ${String(o.bodyStatus)}`]
      return []
    })
    const statuses = new Map<number, number>()
    for (const o of outcomes) if ('status' in o) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1)
    recordSecurityResult({
      check: 'hostile input on every documented route', requests: outcomes.length, failures: bad.length,
      notes: `${Object.keys(ROUTES).length} routes; answers ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ')}`,
    })
    expect(bad).toEqual([])
  }, 180_000)
})
