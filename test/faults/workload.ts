import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { waitFor } from '@starling/shared/testing'
import { newAccount, type Account } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway, type JsonResponse } from '../setup/http.ts'
import { recordFigures } from '../setup/figures.ts'
import type { FaultResult } from './results.ts'

/** This run's mark in every text it writes, so that searches and checks see only its own. */
export const runMark = () => `r${randomUUID().replaceAll('-', '').slice(0, 10)}`

export const record = (result: FaultResult) => recordFigures(testEnv.faultResultsFile, result)

export async function accounts(n: number, prefix: string): Promise<Account[]> {
  const made: Account[] = []
  for (let i = 0; i < n; i += 10) made.push(...await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => newAccount(prefix))))
  return made
}

/** An answer that was not the acknowledgement, as a client saw it. */
export interface Refusal { status: number; retryAfter: string | null; problem: boolean }

/** Every refusal any write of this process met, for the cases to judge. */
export const refusals: Refusal[] = []

/** What a client that must not lose a write does: retries (with the same Idempotency-Key) until it is acknowledged. */
export async function surely(send: () => Promise<JsonResponse>, ok: (status: number) => boolean, deadlineMs = 180_000) {
  const deadline = Date.now() + deadlineMs
  let attempts = 0
  const statuses: number[] = []
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    attempts++
    const response = await send().catch((error: Error) => ({ status: 0, headers: new Headers(), body: error.message }) as JsonResponse)
    statuses.push(response.status)
    if (ok(response.status)) return { response, attempts, statuses }
    refusals.push({ status: response.status, retryAfter: response.headers.get('retry-after'), problem: /^application\/problem\+json/.test(response.headers.get('content-type') ?? '') })
    if (Date.now() > deadline) throw new Error(`not acknowledged within ${deadlineMs} ms: ${statuses.join(',')}`)
    await sleep(wait)
  }
}

export const postSurely = (author: Account, text: string) => {
  const key = randomUUID()
  return surely(() => gateway('/tweets/', { token: author.token, body: { text }, headers: { 'idempotency-key': key } }), (s) => s === 201)
}
export const messageSurely = (from: Account, to: Account, text: string) => {
  const key = randomUUID()
  return surely(() => gateway('/messages/', { token: from.token, body: { recipient_id: to.id, text }, headers: { 'idempotency-key': key } }), (s) => s === 201)
}
export const followSurely = (who: Account, whom: Account) => surely(() => gateway('/follow/', { token: who.token, body: { user_id: whom.id } }), (s) => s === 200)
export const likeSurely = (who: Account, tweetId: string) => surely(() => gateway(`/tweets/${tweetId}/like`, { method: 'POST', token: who.token }), (s) => s === 200)

/** Runs `work(i)` for i < total at `rate` a second, at most `width` at once; the results in order. */
export async function paced<T>(total: number, rate: number, work: (i: number) => Promise<T>, width = 16): Promise<T[]> {
  const started = Date.now()
  const results: T[] = new Array(total)
  const running = new Set<Promise<void>>()
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate
    if (due > Date.now()) await sleep(due - Date.now())
    while (running.size >= width) await Promise.race(running)
    const task: Promise<void> = work(i).then((value) => { results[i] = value }).finally(() => running.delete(task))
    running.add(task)
  }
  await Promise.all(running)
  return results
}

/** Calls `fault` every `everyMs` (on a fixed schedule, whatever each takes) until stopped; returns how many times it ran. */
export function repeatedly(everyMs: number, fault: () => Promise<void>) {
  let stopped = false
  let count = 0
  const loop = (async () => {
    for (let next = Date.now() + everyMs; !stopped; next += everyMs) {
      await sleep(Math.max(0, next - Date.now()))
      if (stopped) break
      await fault()
      count++
    }
  })()
  return { async stop() { stopped = true; await loop; return count } }
}

/** What is missing from `actual` and what it holds more than once, against the ids expected once. */
export function compare(expected: Iterable<string>, actual: string[]) {
  const seen = new Map<string, number>()
  for (const id of actual) seen.set(id, (seen.get(id) ?? 0) + 1)
  let missing = 0
  for (const id of new Set(expected)) if (!seen.has(id)) missing++
  const duplicated = [...seen.values()].filter((n) => n > 1).length
  return { missing, duplicated }
}
export type Comparison = ReturnType<typeof compare>

/** Like compare, for keys that may rightly come more than once (two messages, two notifications of them). */
export function compareCounts(expected: string[], actual: string[]): Comparison {
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())
  const [want, have] = [count(expected), count(actual)]
  let missing = 0
  let duplicated = 0
  for (const [key, n] of want) missing += Math.max(0, n - (have.get(key) ?? 0))
  for (const [key, n] of have) if (want.has(key)) duplicated += Math.max(0, n - want.get(key)!)
  return { missing, duplicated }
}
export const sum = (all: Comparison[]) => all.reduce((a, b) => ({ missing: a.missing + b.missing, duplicated: a.duplicated + b.duplicated }), { missing: 0, duplicated: 0 })

/**
 * Polls `check` until nothing is missing or duplicated (or the time is up), from `since` (the last
 * fault); returns the last comparison and how long it took.
 */
export async function converge(check: () => Promise<Comparison>, since: number, timeoutMs = 180_000) {
  let last: Comparison = { missing: Number.NaN, duplicated: Number.NaN }
  await waitFor(async () => {
    last = await check()
    return last.missing === 0 && last.duplicated === 0
  }, { timeoutMs, intervalMs: 1000, what: 'the system to converge' }).catch(() => undefined)
  return { ...last, convergeSeconds: (Date.now() - since) / 1000 }
}

/** Every page of a list endpoint (items with ids), following next_cursor. */
export async function allItems(path: string, token?: string, limit = 100): Promise<{ id: string }[]> {
  const items: { id: string }[] = []
  let cursor: string | null = null
  do {
    const page = await gateway(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token ? { token } : {})
    if (page.status !== 200) throw new Error(`${path}: ${page.status} ${JSON.stringify(page.body).slice(0, 200)}`)
    items.push(...page.body.items)
    cursor = page.body.next_cursor
  } while (cursor)
  return items
}

export const timelineIds = async (reader: Account) => (await allItems(`/timelines/${reader.id}`, reader.token)).map((i) => i.id)

/** Waits until the timeline service has projected every one of `follows` (follower, followee). */
export async function untilFollowsProjected(follows: [Account, Account][], timeoutMs = 60_000) {
  const db = new pg.Client({ connectionString: testEnv.databaseUrl('starling_timeline') })
  await db.connect()
  try {
    await waitFor(async () => {
      const { rows: [row] } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM follows f JOIN unnest($1::bigint[], $2::bigint[]) AS p(a, b) ON f.follower_id = p.a AND f.followee_id = p.b',
        [follows.map(([a]) => a.id), follows.map(([, b]) => b.id)],
      )
      return row?.n === follows.length
    }, { what: 'every follow projected by the timeline service', timeoutMs })
  } finally {
    await db.end()
  }
}

/** The events each outbox still holds, by service (readiness reports it). */
export async function outboxPending() {
  const pending: Record<string, number> = {}
  for (const name of ['user', 'tweet', 'follower', 'dm']) {
    const report = await (await fetch(`${testEnv.serviceUrl(name)}/readyz`)).json() as { checks: { outbox?: { details?: { pending: number } } } }
    pending[name] = report.checks.outbox?.details?.pending ?? Number.NaN
  }
  return pending
}

/** The tweets a search for `q` finds (every page). */
export const searchIds = async (q: string) => (await allItems(`/search/?type=tweets&q=${encodeURIComponent(q)}`)).map((i) => i.id)

/**
 * `n` new people, each reading their (empty) home timeline once, so they count as active, and each
 * following the next one round the ring; once the timeline service has every follow.
 */
export async function ring(n: number, prefix: string) {
  const people = await accounts(n, prefix)
  await Promise.all(people.map((p) => timelineIds(p)))
  const follows: [Account, Account][] = people.map((p, i) => [p, people[(i + 1) % people.length]!])
  await paced(follows.length, 20, (i) => followSurely(...follows[i]!))
  await untilFollowsProjected(follows)
  return { people, follows }
}

/** Of `people`'s own tweet lists, the ones this run (`mark`) wrote: against those acknowledged, and the texts written twice. */
export async function storedTweets(people: Account[], mark: string, acknowledged: { id: string }[]) {
  const stored = ((await Promise.all(people.map((p) => allItems(`/users/${p.id}/tweets`)))).flat() as unknown as { id: string; text: string }[]).filter((t) => t.text.startsWith(mark))
  return { ...compare(acknowledged.map((t) => t.id), stored.map((t) => t.id)), duplicated: twice(stored) }
}

/** Acknowledged messages against what their conversations hold (read by each one's sender). */
export async function storedMessages(people: Account[], messages: { id: string; conversation_id: string; sender_id: string }[]) {
  const conversations = [...new Set(messages.map((m) => m.conversation_id))]
  const held = await Promise.all(conversations.map((c) => allItems(`/messages/${c}`, people.find((p) => messages.some((m) => m.conversation_id === c && m.sender_id === p.id))!.token)))
  return compare(messages.map((m) => m.id), held.flat().map((m) => m.id))
}

export { stackServicePids as servicePids } from '../setup/processes.ts'

/** How the refusals met since `from` (an index into refusals) break down, e.g. {"503": 12}. */
export const refusalsSince = (from: number) => refusals.slice(from).reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {})

/** The texts that appear more than once among a list of tweets: a write done twice. */
export const twice = (tweets: { text: string }[]) => [...tweets.reduce((m, t) => m.set(t.text, (m.get(t.text) ?? 0) + 1), new Map<string, number>()).values()].filter((n) => n > 1).length

/** Waits until the gateway says every service is ready. */
export const untilHealthy = (timeoutMs = 120_000) => waitFor(async () => (await gateway('/health')).status === 200, { what: 'every service ready', timeoutMs, intervalMs: 500 })
