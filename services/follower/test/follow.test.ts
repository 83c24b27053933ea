import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { follower } from './fixtures/service.ts'
import { act, expectProblem, ids, listAll } from './fixtures/graph.ts'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

describe('POST /follow/ and /unfollow/', () => {
  it('follows and unfollows, each idempotently', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    for (let i = 0; i < 2; i++) {
      const response = await act('follow', ada, bob)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ following: true })
    }
    expect(ids((await follower.request(`/followers/${bob.id}`)).body.items)).toEqual([ada.id])
    expect(ids((await follower.request(`/following/${ada.id}`)).body.items)).toEqual([bob.id])

    for (let i = 0; i < 2; i++) {
      const response = await act('unfollow', ada, bob)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ following: false })
    }
    expect((await follower.request(`/followers/${bob.id}`)).body).toEqual({ items: [], next_cursor: null })
    expect((await follower.request(`/following/${ada.id}`)).body).toEqual({ items: [], next_cursor: null })
  })

  it('follows a user who registered a moment ago, and lists them with their profile', async () => {
    // Both accounts are brand new: the replica may not have them yet, and the service must ask the user service.
    const ada = await newAccount()
    const bob = await newAccount()
    expect((await act('follow', ada, bob)).status).toBe(200)
    expect((await follower.request(`/followers/${bob.id}`)).body).toEqual({
      items: [{ id: ada.id, username: ada.username, display_name: ada.username, followed_at: expect.stringMatching(ISO) }],
      next_cursor: null,
    })
  })

  it('refuses to follow or unfollow yourself with 400 FLW_SELF', async () => {
    const ada = await newAccount()
    await expectProblem(await act('follow', ada, ada), 400, 'FLW_SELF')
    await expectProblem(await act('unfollow', ada, ada), 400, 'FLW_SELF')
  })

  it.each([
    ['an id nobody has', '1', 404, 'FLW_USER_NOT_FOUND'],
    ['the largest 64-bit id', '9223372036854775807', 404, 'FLW_USER_NOT_FOUND'],
    ['an id beyond 64 bits', '9999999999999999999', 400, 'VALIDATION_FAILED'],
  ])('answers %s with %i %s', async (_case, id, status, code) => {
    const ada = await newAccount()
    await expectProblem(await act('follow', ada, { id }), status, code)
    await expectProblem(await act('unfollow', ada, { id }), status, code)
    await expectProblem(await follower.request(`/followers/${id}`), status, code)
    await expectProblem(await follower.request(`/following/${id}`), status, code)
  })

  it('needs a token', async () => {
    const bob = await newAccount()
    await expectProblem(await follower.request('/follow/', { body: { user_id: bob.id } }), 401, 'AUTH_REQUIRED')
    await expectProblem(await follower.request('/unfollow/', { body: { user_id: bob.id } }), 401, 'AUTH_REQUIRED')
  })
})

describe('GET /followers/{user_id} and /following/{user_id}', () => {
  it('lists followers newest first, page by page, with no duplicates or gaps', async () => {
    const star = await newAccount()
    const fans = await Promise.all(Array.from({ length: 5 }, () => newAccount()))
    for (const fan of fans) expect((await act('follow', fan, star)).status).toBe(200)

    const { items, pages } = await listAll(`/followers/${star.id}`, { limit: 2 })
    expect(pages).toBe(3)
    expect(ids(items)).toEqual(fans.map((fan) => fan.id).reverse())
    expect(items[0]).toEqual({ id: fans[4]!.id, username: fans[4]!.username, display_name: fans[4]!.username, followed_at: expect.stringMatching(ISO) })
    const times = items.map((item) => item.followed_at!)
    expect(times).toEqual([...times].sort().reverse())
    // The default page holds all five.
    expect(ids((await follower.request(`/followers/${star.id}`)).body.items)).toEqual(ids(items))
  })

  it('lists whom a user follows; a full last page has no cursor after it', async () => {
    const fan = await newAccount()
    const stars = await Promise.all(Array.from({ length: 4 }, () => newAccount()))
    for (const star of stars) expect((await act('follow', fan, star)).status).toBe(200)

    const { items, pages } = await listAll(`/following/${fan.id}`, { limit: 2 })
    expect(pages).toBe(2)
    expect(ids(items)).toEqual(stars.map((star) => star.id).reverse())
  })
})

describe('bad input', () => {
  it.each([
    ['an unknown field', { user_id: '1', extra: true }, 'extra'],
    ['no user_id', {}, 'user_id'],
    ['a number for an id', { user_id: 123 }, 'user_id'],
    ['an id with letters', { user_id: '12a' }, 'user_id'],
    ['an id with a leading zero', { user_id: '0123' }, 'user_id'],
    ['an id of 20 digits', { user_id: '12345678901234567890' }, 'user_id'],
  ])('rejects a body with %s with 400 naming the field', async (_case, body, field) => {
    const ada = await newAccount()
    const problem = await expectProblem(await follower.request('/follow/', { body, token: ada.token }), 400, 'VALIDATION_FAILED')
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field)
  })

  it('rejects malformed JSON with 400', async () => {
    const ada = await newAccount()
    await expectProblem(await follower.request('/follow/', { body: '{"user_id": ', headers: { 'content-type': 'application/json' }, token: ada.token }), 400, 'MALFORMED_JSON')
  })

  it.each([
    ['an id that is not a number', '/followers/abc'],
    ['an id with a leading zero', '/following/0123'],
    ['a limit of 0', '/followers/1?limit=0'],
    ['a limit of 101', '/followers/1?limit=101'],
    ['an unknown query parameter', '/followers/1?sort=oldest'],
  ])('rejects %s with 400', async (_case, path) => {
    await expectProblem(await follower.request(path), 400, 'VALIDATION_FAILED')
  })

  it('rejects a tampered cursor with 400 INVALID_CURSOR', async () => {
    const star = await newAccount()
    const fans = await Promise.all([newAccount(), newAccount()])
    for (const fan of fans) await act('follow', fan, star)
    const cursor = (await follower.request(`/followers/${star.id}?limit=1`)).body.next_cursor
    expect(cursor).toEqual(expect.any(String))
    expect((await follower.request(`/followers/${star.id}?limit=1&cursor=${cursor}`)).status).toBe(200)

    for (const tampered of [cursor.slice(0, -3), 'garbage', encodeCursor(['soon', star.id]), encodeCursor([1, '99999999999999999999'])]) {
      await expectProblem(await follower.request(`/followers/${star.id}?cursor=${tampered}`), 400, 'INVALID_CURSOR')
    }
  })
})
