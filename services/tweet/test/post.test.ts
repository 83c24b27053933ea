import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { mintToken, newAccount } from '../../../test/setup/accounts.ts'
import { tweetService } from './fixtures/service.ts'
import { expectProblem, getTweet, ids, post, tweet } from './fixtures/tweets.ts'

const ID = /^[0-9]{1,19}$/
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

describe('POST /tweets/', () => {
  it('posts a trimmed tweet and answers 201 with the whole tweet and the author\'s own state of it', async () => {
    const ada = await newAccount()
    const response = await post(ada, { text: '  hello, world \n' })
    expect(response.status).toBe(201)
    expect(response.body).toEqual({
      id: expect.stringMatching(ID),
      text: 'hello, world',
      created_at: expect.stringMatching(ISO),
      author: { id: ada.id, username: ada.username, display_name: ada.username, avatar_url: null },
      conversation_id: response.body.id,
      reply_to_id: null,
      quote_of_id: null,
      mentions: [],
      hashtags: [],
      media: [],
      like_count: 0,
      retweet_count: 0,
      reply_count: 0,
      viewer: { liked: false, retweeted: false },
    })
    expect((await getTweet(response.body.id, ada.token)).body).toEqual(response.body)
    const { viewer: _viewer, ...anonymous } = response.body
    expect((await getTweet(response.body.id)).body).toEqual(anonymous)
  })

  it('counts characters as code points: 280 emoji are fine, 281 characters are not', async () => {
    const ada = await newAccount()
    const emoji = '🐦'.repeat(280)
    expect((await tweet(ada, emoji)).text).toBe(emoji)
    expect((await tweet(ada, `  ${'a'.repeat(280)}  `)).text).toBe('a'.repeat(280))
    await expectProblem(await post(ada, { text: 'a'.repeat(281) }), 400, 'TWT_TEXT_LENGTH')
    await expectProblem(await post(ada, { text: `${emoji}!` }), 400, 'TWT_TEXT_LENGTH')
  })

  it.each([['empty', ''], ['whitespace-only', ' \n\t ']])('rejects %s text with 400 TWT_TEXT_LENGTH', async (_case, text) => {
    const ada = await newAccount()
    await expectProblem(await post(ada, { text }), 400, 'TWT_TEXT_LENGTH')
  })

  it('rejects unknown fields, a missing text, malformed JSON and a malformed Idempotency-Key with 400', async () => {
    const ada = await newAccount()
    const unknown = await expectProblem(await post(ada, { text: 'hi', media: 'x' }), 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(unknown.errors)).toContain('media')
    await expectProblem(await post(ada, {}), 400, 'VALIDATION_FAILED')
    await expectProblem(await post(ada, { text: 'hi', reply_to_id: 'abc' }), 400, 'VALIDATION_FAILED')
    await expectProblem(await tweetService.request('/tweets/', { token: ada.token, body: '{"text": "hi"', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON')
    await expectProblem(await post(ada, { text: 'hi' }, 'no spaces allowed'), 400, 'VALIDATION_FAILED')
  })

  it.each([
    ['a NUL', 'before\u0000after'],
    ['an unpaired high surrogate', 'half \ud83d a smile'],
    ['an unpaired low surrogate', '\ude00 the other half'],
  ])('rejects text with %s as 400 VALIDATION_FAILED on text, and stores nothing', async (_case, text) => {
    const ada = await newAccount()
    const problem = await expectProblem(await post(ada, { text }), 400, 'VALIDATION_FAILED')
    expect(problem.errors).toEqual([{ field: 'text', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }])
    expect((await tweetService.request(`/users/${ada.id}/tweets`)).body.items).toEqual([])
  })

  it('needs a token of an existing account', async () => {
    await expectProblem(await tweetService.request('/tweets/', { body: { text: 'hi' } }), 401, 'AUTH_REQUIRED')
    const ghost = { id: '4611686018427387904', username: 'ghost_user', email: '', password: '', token: mintToken({ id: '4611686018427387904', username: 'ghost_user' }) }
    await expectProblem(await post(ghost, { text: 'hi' }), 401, 'TWT_AUTHOR_UNKNOWN')
  })
})

describe('mentions and hashtags', () => {
  it('resolves @names of existing accounts (any case, once each), drops unknown ones, and collects #tags', async () => {
    // Both mentioned accounts are brand new: the replica may not have them yet, and the service must ask the user service.
    const [ada, bob, cat] = await Promise.all([newAccount(), newAccount(), newAccount()])
    const text = `hi @${bob.username.toUpperCase()} and @${cat.username}, not @nobody_${randomUUID().slice(0, 8)} nor me@${bob.username} #Kafka #kafka #Über again @${bob.username}`
    const posted = await tweet(ada, text)
    expect(posted.mentions).toEqual([{ user_id: bob.id, username: bob.username }, { user_id: cat.id, username: cat.username }])
    expect(posted.hashtags).toEqual(['kafka', 'über'])
    expect(posted.text).toBe(text)
  })
})

describe('replies and quotes', () => {
  it('threads replies into the conversation of the first tweet and counts them on the parent', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const root = await tweet(ada, 'root')
    const first = await tweet(bob, 'first reply', { reply_to_id: root.id })
    const second = await tweet(ada, 'second reply', { reply_to_id: root.id })
    const nested = await tweet(ada, 'reply to a reply', { reply_to_id: first.id })

    expect(first).toMatchObject({ reply_to_id: root.id, conversation_id: root.id })
    expect(nested).toMatchObject({ reply_to_id: first.id, conversation_id: root.id })
    expect((await getTweet(root.id)).body.reply_count).toBe(2)
    expect((await getTweet(first.id)).body.reply_count).toBe(1)

    const replies = await tweetService.request(`/tweets/${root.id}/replies`)
    expect(replies.status).toBe(200)
    expect(ids(replies.body.items)).toEqual([first.id, second.id])
    expect(replies.body.next_cursor).toBeNull()
  })

  it('quotes a tweet, in a conversation of its own', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const original = await tweet(ada, 'quotable')
    const quote = await tweet(bob, 'so true', { quote_of_id: original.id })
    expect(quote).toMatchObject({ quote_of_id: original.id, reply_to_id: null, conversation_id: quote.id })
    expect((await getTweet(original.id)).body.reply_count).toBe(0)
  })

  it('rejects a reply to or a quote of a tweet that does not exist or was deleted, and counts nothing', async () => {
    const ada = await newAccount()
    const gone = await tweet(ada, 'soon gone')
    expect((await tweetService.request(`/tweets/${gone.id}`, { method: 'DELETE', token: ada.token })).status).toBe(204)
    for (const id of ['1', '9223372036854775807', gone.id]) {
      await expectProblem(await post(ada, { text: 'reply', reply_to_id: id }), 400, 'TWT_REPLY_TARGET_MISSING')
      await expectProblem(await post(ada, { text: 'quote', quote_of_id: id }), 400, 'TWT_QUOTE_TARGET_MISSING')
    }
    // The failed replies left no tweet behind.
    expect((await tweetService.request(`/users/${ada.id}/tweets`)).body.items).toEqual([])
  })
})

describe('Idempotency-Key', () => {
  it('returns the first tweet for a retry with the same body, and posts only once', async () => {
    const ada = await newAccount()
    const key = randomUUID()
    const first = await post(ada, { text: 'only once' }, key)
    const retry = await post(ada, { text: 'only once' }, key)
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.body).toEqual(first.body)
    expect(ids((await tweetService.request(`/users/${ada.id}/tweets`)).body.items)).toEqual([first.body.id])
  })

  it('answers 422 TWT_IDEMPOTENCY_MISMATCH for the same key with another body', async () => {
    const ada = await newAccount()
    const key = randomUUID()
    expect((await post(ada, { text: 'first' }, key)).status).toBe(201)
    await expectProblem(await post(ada, { text: 'second' }, key), 422, 'TWT_IDEMPOTENCY_MISMATCH')
    expect((await tweetService.request(`/users/${ada.id}/tweets`)).body.items).toHaveLength(1)
  })

  it('creates exactly one tweet for concurrent requests with the same key', async () => {
    const ada = await newAccount()
    const key = randomUUID()
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(ada, { text: 'raced' }, key)))
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201))
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1)
    expect((await tweetService.request(`/users/${ada.id}/tweets`)).body.items).toHaveLength(1)
  })

  it('keeps keys per user', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const key = randomUUID()
    const mine = await post(ada, { text: 'same words' }, key)
    const theirs = await post(bob, { text: 'same words' }, key)
    expect([mine.status, theirs.status]).toEqual([201, 201])
    expect(theirs.body.id).not.toBe(mine.body.id)
    expect(theirs.body.author.id).toBe(bob.id)
  })
})
