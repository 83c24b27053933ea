import { describe, expect, it } from 'vitest'
import { mintToken, newAccount } from '../../../test/setup/accounts.ts'
import { follower } from './fixtures/service.ts'
import { act, expectProblem, ids, listAll } from './fixtures/graph.ts'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

describe('POST /block/ and /unblock/', () => {
  it('ends the follows both ways, idempotently, and keeps either from following the other', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    expect((await act('follow', ada, bob)).status).toBe(200)
    expect((await act('follow', bob, ada)).status).toBe(200)

    for (let i = 0; i < 2; i++) {
      const response = await act('block', ada, bob)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ blocking: true })
    }
    for (const [user, list] of [[ada, 'followers'], [ada, 'following'], [bob, 'followers'], [bob, 'following']] as const) {
      expect((await follower.request(`/${list}/${user.id}`)).body.items).toEqual([])
    }

    const blocked = await expectProblem(await act('follow', bob, ada), 403, 'FLW_BLOCKED')
    expect(blocked.detail).toMatch(/has blocked you/)
    const blocker = await expectProblem(await act('follow', ada, bob), 403, 'FLW_BLOCKED')
    expect(blocker.detail).toMatch(/You have blocked/)
  })

  it('leaves no follow behind when it races the blocked user following', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const follows = Array.from({ length: 10 }, () => act('follow', bob, ada))
    const block = act('block', ada, bob)
    const statuses = (await Promise.all(follows)).map((r) => r.status)
    expect((await block).status).toBe(200)
    expect(statuses.every((status) => status === 200 || status === 403)).toBe(true)
    expect((await follower.request(`/followers/${ada.id}`)).body.items).toEqual([])
    await expectProblem(await act('follow', bob, ada), 403, 'FLW_BLOCKED')
  })

  it('lets them follow again once unblocked, idempotently', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    expect((await act('block', ada, bob)).status).toBe(200)
    for (let i = 0; i < 2; i++) {
      const response = await act('unblock', ada, bob)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ blocking: false })
    }
    expect((await act('follow', bob, ada)).body).toEqual({ following: true })
    expect((await act('follow', ada, bob)).body).toEqual({ following: true })
    expect((await follower.request('/blocks', { token: ada.token })).body).toEqual({ items: [], next_cursor: null })
  })

  it('lists your blocks newest first, page by page', async () => {
    const ada = await newAccount()
    const others = await Promise.all([newAccount(), newAccount(), newAccount()])
    for (const other of others) expect((await act('block', ada, other)).status).toBe(200)

    const { items, pages } = await listAll('/blocks', { limit: 2, token: ada.token })
    expect(pages).toBe(2)
    expect(ids(items)).toEqual(others.map((o) => o.id).reverse())
    expect(items[0]).toEqual({ id: others[2]!.id, username: others[2]!.username, display_name: others[2]!.username, since: expect.stringMatching(ISO) })
    // Being blocked does not put anyone on your own list.
    expect((await follower.request('/blocks', { token: others[0]!.token })).body.items).toEqual([])
  })
})

describe('POST /mute/ and /unmute/', () => {
  it('mutes and unmutes idempotently, lists your mutes, and leaves follows alone', async () => {
    const [ada, bob, cyd] = await Promise.all([newAccount(), newAccount(), newAccount()])
    expect((await act('follow', ada, bob)).status).toBe(200)
    for (const other of [bob, bob, cyd]) {
      const response = await act('mute', ada, other)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ muting: true })
    }
    expect((await follower.request('/mutes', { token: ada.token })).body).toEqual({
      items: [
        { id: cyd.id, username: cyd.username, display_name: cyd.username, since: expect.stringMatching(ISO) },
        { id: bob.id, username: bob.username, display_name: bob.username, since: expect.stringMatching(ISO) },
      ],
      next_cursor: null,
    })
    expect(ids((await follower.request(`/following/${ada.id}`)).body.items)).toEqual([bob.id])

    for (let i = 0; i < 2; i++) expect((await act('unmute', ada, bob)).body).toEqual({ muting: false })
    expect(ids((await follower.request('/mutes', { token: ada.token })).body.items)).toEqual([cyd.id])
  })
})

describe.each(['block', 'unblock', 'mute', 'unmute'] as const)('POST /%s/', (verb) => {
  it('refuses yourself with 400 FLW_SELF and an unknown user with 404', async () => {
    const ada = await newAccount()
    await expectProblem(await act(verb, ada, ada), 400, 'FLW_SELF')
    await expectProblem(await act(verb, ada, { id: '1' }), 404, 'FLW_USER_NOT_FOUND')
  })
})

describe('GET /blocks and /mutes', () => {
  it.each(['/blocks', '/mutes'])('%s answers 401 without a valid token', async (path) => {
    const ada = await newAccount()
    await expectProblem(await follower.request(path), 401, 'AUTH_REQUIRED')
    await expectProblem(await follower.request(path, { token: 'not.a.token' }), 401, 'AUTH_TOKEN_INVALID')
    await expectProblem(await follower.request(path, { token: mintToken(ada, { expiresIn: -10 }) }), 401, 'AUTH_TOKEN_EXPIRED')
    await expectProblem(await follower.request(path, { token: mintToken(ada, { audience: 'someone-else' }) }), 401, 'AUTH_TOKEN_INVALID')
    expect((await follower.request(path, { token: ada.token })).status).toBe(200)
  })

  it('a block needs a token too', async () => {
    const bob = await newAccount()
    await expectProblem(await follower.request('/block/', { body: { user_id: bob.id } }), 401, 'AUTH_REQUIRED')
    await expectProblem(await follower.request('/mute/', { body: { user_id: bob.id }, token: 'garbage' }), 401, 'AUTH_TOKEN_INVALID')
  })
})

describe('GET /relationships/{user_id}', () => {
  it('answers the viewer\'s follows, blocks and mutes with another account and theirs back, to the viewer only', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const relationship = async (viewer: typeof ada, other: typeof ada) => (await follower.request(`/relationships/${other.id}`, { token: viewer.token })).body
    expect((await act('follow', ada, bob)).status).toBe(200)
    expect((await act('mute', ada, bob)).status).toBe(200)
    expect(await relationship(ada, bob)).toEqual({ id: bob.id, following: true, followed_by: false, blocking: false, blocked_by: false, muting: true })
    // Someone's mutes are theirs: bob does not learn that ada muted him.
    expect(await relationship(bob, ada)).toEqual({ id: ada.id, following: false, followed_by: true, blocking: false, blocked_by: false, muting: false })
    expect((await act('block', bob, ada)).status).toBe(200)
    expect(await relationship(ada, bob)).toMatchObject({ following: false, blocked_by: true })
    await expectProblem(await follower.request(`/relationships/${bob.id}`), 401, 'AUTH_REQUIRED')
    await expectProblem(await follower.request('/relationships/9223372036854775807', { token: ada.token }), 404, 'FLW_USER_NOT_FOUND')
  })
})
