import { waitFor } from '@starling/shared/testing'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { gateway, type JsonResponse } from '../../../test/setup/http.ts'
import { dm } from './fixtures/service.ts'

const db = new pg.Pool({ connectionString: testEnv.databaseUrl('starling_dm'), max: 2 })
afterAll(() => db.end())

const send = (from: Account, to: { id: string }, text: string, headers: Record<string, string> = {}) =>
  dm.request('/messages/', { token: from.token, body: { recipient_id: to.id, text }, headers })

async function sent(from: Account, to: { id: string }, text: string) {
  const response = await send(from, to, text)
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body as { id: string; conversation_id: string; text: string }
}

const history = (who: Account, conversationId: string, query = '') => dm.request(`/messages/${conversationId}${query}`, { token: who.token })
const conversations = (who: Account, query = '') => dm.request(`/conversations${query}`, { token: who.token })

async function expectProblem(response: JsonResponse, status: number, code?: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  if (code) expect(response.body.code).toBe(code)
}

/** Waits until the dm service has the graph's block (it keeps its own copy from the events). */
const blockSeen = (blocker: Account, blocked: Account) => waitFor(async () => (await db.query(
  'SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2', [blocker.id, blocked.id],
)).rowCount === 1, { what: 'the block in the dm service', timeoutMs: 20_000 })

describe('direct messages', () => {
  it('sends a message into the one conversation of the pair, readable by both', async () => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    const response = await send(ada, bob, '  hello bob  ')
    expect(response.status).toBe(201)
    expect(response.body).toEqual({
      id: expect.stringMatching(/^\d+$/), conversation_id: expect.stringMatching(/^\d+$/),
      sender_id: ada.id, recipient_id: bob.id, text: 'hello bob', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    })
    const answer = await sent(bob, ada, 'hi ada')
    expect(answer.conversation_id).toBe(response.body.conversation_id)
    for (const reader of [ada, bob]) {
      const page = await history(reader, answer.conversation_id)
      expect(page.status).toBe(200)
      expect(page.body.items.map((m: { id: string }) => m.id)).toEqual([answer.id, response.body.id])
      expect(page.body.items[1]).toEqual(response.body)
    }
  })

  it('sends once for a retried Idempotency-Key, and refuses the key for another body', async () => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    const key = { 'idempotency-key': `k-${ada.id}` }
    const first = await send(ada, bob, 'only once', key)
    const retry = await send(ada, bob, 'only once', key)
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.body).toEqual(first.body)
    await expectProblem(await send(ada, bob, 'something else', key), 422, 'DM_IDEMPOTENCY_MISMATCH')
    expect((await history(ada, first.body.conversation_id)).body.items).toHaveLength(1)
  })

  it('refuses to message yourself, an unknown user, or across a block either way', async () => {
    const [ada, bob, cy] = await Promise.all([newAccount('ada'), newAccount('bob'), newAccount('cy')])
    await expectProblem(await send(ada, ada, 'me'), 400, 'DM_SELF')
    await expectProblem(await send(ada, { id: '4611686018427387904' }, 'anyone?'), 404, 'DM_USER_NOT_FOUND')
    expect((await gateway('/block/', { token: bob.token, body: { user_id: ada.id } })).status).toBe(200)
    expect((await gateway('/block/', { token: ada.token, body: { user_id: cy.id } })).status).toBe(200)
    await Promise.all([blockSeen(bob, ada), blockSeen(ada, cy)])
    await expectProblem(await send(ada, bob, 'let me in'), 403, 'DM_BLOCKED')
    await expectProblem(await send(bob, ada, 'go away'), 403, 'DM_BLOCKED')
    await expectProblem(await send(cy, ada, 'hello?'), 403, 'DM_BLOCKED')
    expect((await gateway('/unblock/', { token: bob.token, body: { user_id: ada.id } })).status).toBe(200)
    await waitFor(async () => (await send(ada, bob, 'friends again')).status === 201, { what: 'the unblock to reach the dm service' })
  })

  it('lists your conversations by last activity, with unread counts, and marks one read', async () => {
    const [me, a, b, c] = await Promise.all([newAccount('me'), newAccount('a'), newAccount('b'), newAccount('c')])
    const fromA = await sent(a, me, 'one from a')
    await sent(a, me, 'two from a')
    const toB = await sent(me, b, 'to b')
    const fromC = await sent(c, me, 'from c')
    const list = await conversations(me)
    expect(list.status).toBe(200)
    expect(list.body.items.map((i: { other: { id: string }; unread_count: number }) => [i.other.id, i.unread_count])).toEqual([[c.id, 1], [b.id, 0], [a.id, 2]])
    expect(list.body.items[0]).toEqual({
      id: fromC.conversation_id, other: { id: c.id, username: c.username, display_name: c.username }, last_message: fromC, unread_count: 1,
    })
    expect(list.body.items[1].last_message).toEqual(toB)

    const read = await dm.request(`/messages/${fromA.conversation_id}/read`, { token: me.token, method: 'POST' })
    expect(read.status).toBe(200)
    expect(read.body).toEqual({ unread_count: 0 })
    await sent(a, me, 'three from a')
    const after = await conversations(me)
    expect(after.body.items.map((i: { other: { id: string }; unread_count: number }) => [i.other.id, i.unread_count])).toEqual([[a.id, 1], [c.id, 1], [b.id, 0]])

    const pages = [await conversations(me, '?limit=2')]
    expect(pages[0]!.body.items).toHaveLength(2)
    pages.push(await conversations(me, `?limit=2&cursor=${pages[0]!.body.next_cursor}`))
    expect(pages[1]!.body).toMatchObject({ next_cursor: null })
    expect(pages.flatMap((p) => p.body.items.map((i: { id: string }) => i.id))).toEqual(after.body.items.map((i: { id: string }) => i.id))
  })

  it('pages through a conversation newest first without duplicates or gaps', async () => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await sent(i % 2 ? bob : ada, i % 2 ? ada : bob, `message ${i}`)).id)
    const conversationId = (await conversations(ada)).body.items[0].id
    const seen: string[][] = []
    let cursor: string | null = null
    do {
      const page = await history(bob, conversationId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      seen.push(page.body.items.map((m: { id: string }) => m.id))
      cursor = page.body.next_cursor
    } while (cursor)
    expect(seen.map((p) => p.length)).toEqual([2, 2, 1])
    expect(seen.flat()).toEqual([...ids].reverse())
  })
})

describe('privacy and input', () => {
  it('keeps a conversation and the notifications of its people from a third user, by every route', async () => {
    const [ada, bob, eve] = await Promise.all([newAccount('ada'), newAccount('bob'), newAccount('eve')])
    const message = await sent(ada, bob, 'just between us')
    await expectProblem(await history(eve, message.conversation_id), 404, 'DM_CONVERSATION_NOT_FOUND')
    await expectProblem(await dm.request(`/messages/${message.conversation_id}/read`, { token: eve.token, method: 'POST' }), 404, 'DM_CONVERSATION_NOT_FOUND')
    expect((await conversations(eve)).body.items).toEqual([])
    for (const victim of [ada, bob]) {
      await expectProblem(await gateway(`/notifications/${victim.id}`, { token: eve.token }), 403, 'NTF_NOT_YOURS')
      await expectProblem(await gateway(`/notifications/${victim.id}/read`, { token: eve.token, body: {} }), 403, 'NTF_NOT_YOURS')
    }
    // An id nobody has answers the same as one eve is not part of.
    await expectProblem(await history(eve, '4611686018427387904'), 404, 'DM_CONVERSATION_NOT_FOUND')
    await expectProblem(await history(eve, '9223372036854775808'), 400, 'VALIDATION_FAILED')
  })

  it('needs a token everywhere', async () => {
    await expectProblem(await dm.request('/messages/', { body: { recipient_id: '1', text: 'x' } }), 401)
    await expectProblem(await dm.request('/messages/1'), 401)
    await expectProblem(await dm.request('/messages/1/read', { method: 'POST' }), 401)
    await expectProblem(await dm.request('/conversations'), 401)
  })

  it.each([
    ['empty text', { text: '' }, 'DM_TEXT_LENGTH'],
    ['whitespace only', { text: ' \n\t ' }, 'DM_TEXT_LENGTH'],
    ['1001 characters', { text: 'a'.repeat(1001) }, 'DM_TEXT_LENGTH'],
    ['no text', { text: undefined }, 'VALIDATION_FAILED'],
    ['text that is not a string', { text: 42 }, 'VALIDATION_FAILED'],
    ['a recipient id that is not one', { recipient_id: 'bob' }, 'VALIDATION_FAILED'],
    ['an unknown field', { text: 'hi', urgent: true }, 'VALIDATION_FAILED'],
  ])('refuses a message with %s', async (_case, change, code) => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    await expectProblem(await dm.request('/messages/', { token: ada.token, body: { recipient_id: bob.id, text: 'hi', ...change } }), 400, code)
  })

  it.each([['a NUL', 'psst\u0000'], ['an unpaired surrogate', 'psst \ud83d']])('refuses text with %s as 400 VALIDATION_FAILED on text', async (_case, text) => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    const response = await send(ada, bob, text)
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'text' }] })
    expect((await dm.request('/conversations', { token: ada.token })).body.items).toEqual([])
  })

  it('accepts 1000 characters counted as people count them', async () => {
    const [ada, bob] = await Promise.all([newAccount('ada'), newAccount('bob')])
    expect((await sent(ada, bob, '🐦'.repeat(1000))).text).toBe('🐦'.repeat(1000))
  })

  it.each([
    ['a body that is not JSON', { body: 'hello', headers: { 'content-type': 'application/json' } }, 400],
    ['a body of another type', { body: 'hello', headers: { 'content-type': 'text/plain' } }, 415],
    ['a malformed Idempotency-Key', { body: { recipient_id: '1', text: 'x' }, headers: { 'idempotency-key': 'not ok!' } }, 400],
  ])('refuses %s', async (_case, request, status) => {
    const ada = await newAccount('ada')
    await expectProblem(await dm.request('/messages/', { token: ada.token, ...request }), status)
  })

  it.each([
    ['a conversation id that is not one', '/messages/abc'],
    ['a tampered cursor', '/messages/1?cursor=bm9wZQ'],
    ['a limit over 100', '/conversations?limit=101'],
    ['a cursor beyond 64 bits', `/conversations?cursor=${Buffer.from('["9223372036854775808"]').toString('base64url')}`],
  ])('refuses %s', async (_case, path) => {
    const ada = await newAccount('ada')
    await expectProblem(await dm.request(path, { token: ada.token }), 400)
  })
})
