import { encodeCursor } from '@starling/shared/http'
import { describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { tweetService } from './fixtures/service.ts'
import { expectProblem, getTweet, ids, listAll, tweet } from './fixtures/tweets.ts'

const remove = (id: string, token: string) => tweetService.request(`/tweets/${id}`, { method: 'DELETE', token })

describe('GET /tweets/{id}', () => {
  it('answers 404 TWT_NOT_FOUND for an unknown id, and 400 for an impossible one', async () => {
    await expectProblem(await getTweet('1'), 404, 'TWT_NOT_FOUND')
    await expectProblem(await getTweet('9223372036854775807'), 404, 'TWT_NOT_FOUND')
    await expectProblem(await getTweet('9999999999999999999'), 400, 'VALIDATION_FAILED')
    await expectProblem(await getTweet('abc'), 400, 'VALIDATION_FAILED')
  })
})

describe('DELETE /tweets/{id}', () => {
  it('lets only the author delete; then the tweet is gone from reads and from the timeline', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const kept = await tweet(ada, 'kept')
    const doomed = await tweet(ada, 'doomed')

    await expectProblem(await remove(doomed.id, bob.token), 403, 'TWT_NOT_AUTHOR')
    await expectProblem(await tweetService.request(`/tweets/${doomed.id}`, { method: 'DELETE' }), 401, 'AUTH_REQUIRED')
    expect((await getTweet(doomed.id)).status).toBe(200)

    const response = await remove(doomed.id, ada.token)
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
    await expectProblem(await getTweet(doomed.id), 404, 'TWT_NOT_FOUND')
    await expectProblem(await remove(doomed.id, ada.token), 404, 'TWT_NOT_FOUND')
    await expectProblem(await remove('1', ada.token), 404, 'TWT_NOT_FOUND')
    expect(ids((await tweetService.request(`/users/${ada.id}/tweets`)).body.items)).toEqual([kept.id])
  })

  it('uncounts a deleted reply on its parent and drops it from the replies', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const root = await tweet(ada, 'root')
    const stays = await tweet(bob, 'stays', { reply_to_id: root.id })
    const goes = await tweet(bob, 'goes', { reply_to_id: root.id })
    expect((await getTweet(root.id)).body.reply_count).toBe(2)

    expect((await remove(goes.id, bob.token)).status).toBe(204)
    expect((await getTweet(root.id)).body.reply_count).toBe(1)
    expect(ids((await tweetService.request(`/tweets/${root.id}/replies`)).body.items)).toEqual([stays.id])

    // The replies of a deleted tweet are not listed.
    expect((await remove(root.id, ada.token)).status).toBe(204)
    await expectProblem(await tweetService.request(`/tweets/${root.id}/replies`), 404, 'TWT_NOT_FOUND')
  })
})

describe('GET /users/{user_id}/tweets and /tweets/{id}/replies', () => {
  it('lists a user\'s tweets newest first, page by page, with no duplicates or gaps', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const posted: string[] = []
    for (let i = 0; i < 5; i++) posted.push((await tweet(ada, `tweet ${i}`)).id)
    await tweet(bob, 'not ada\'s')

    const { items, pages } = await listAll(`/users/${ada.id}/tweets`, 2)
    expect(pages).toBe(3)
    expect(ids(items)).toEqual(posted.toReversed())
    expect(items.every((item) => item.author.id === ada.id)).toBe(true)
    // The default page holds all five; a full last page has no cursor after it.
    expect(ids((await tweetService.request(`/users/${ada.id}/tweets`)).body.items)).toEqual(ids(items))
    expect((await tweetService.request(`/users/${ada.id}/tweets?limit=5`)).body.next_cursor).toBeNull()
  })

  it('lists replies oldest first, page by page', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const root = await tweet(ada, 'root')
    const replies: string[] = []
    for (let i = 0; i < 3; i++) replies.push((await tweet(i % 2 ? ada : bob, `reply ${i}`, { reply_to_id: root.id })).id)
    const { items, pages } = await listAll(`/tweets/${root.id}/replies`, 2)
    expect(pages).toBe(2)
    expect(ids(items)).toEqual(replies)
  })

  it('rejects a tampered cursor and a limit out of range with 400', async () => {
    const ada = await newAccount()
    for (let i = 0; i < 3; i++) await tweet(ada, `tweet ${i}`)
    const first = await tweetService.request(`/users/${ada.id}/tweets?limit=1`)
    const cursor: string = first.body.next_cursor
    for (const tampered of [`${cursor.slice(0, -2)}!!`, 'not-a-cursor', encodeCursor(['12a']), encodeCursor([1, 2])]) {
      await expectProblem(await tweetService.request(`/users/${ada.id}/tweets?cursor=${encodeURIComponent(tampered)}`), 400, 'INVALID_CURSOR')
    }
    await expectProblem(await tweetService.request(`/users/${ada.id}/tweets?limit=0`), 400, 'VALIDATION_FAILED')
    await expectProblem(await tweetService.request(`/users/${ada.id}/tweets?limit=101`), 400, 'VALIDATION_FAILED')
  })

  it('answers 404 TWT_USER_NOT_FOUND for a user nobody has, and an empty page for a user with no tweets', async () => {
    await expectProblem(await tweetService.request('/users/1/tweets'), 404, 'TWT_USER_NOT_FOUND')
    const ada = await newAccount()
    expect((await tweetService.request(`/users/${ada.id}/tweets`)).body).toEqual({ items: [], next_cursor: null })
  })
})
