import { describe, expect, it } from 'vitest'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { tweetService } from './fixtures/service.ts'
import { engage, expectProblem, getTweet, tweet } from './fixtures/tweets.ts'

const accounts = (n: number) => Promise.all(Array.from({ length: n }, () => newAccount('fan')))

describe('likes', () => {
  it('likes and unlikes, each idempotently', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const { id } = await tweet(ada, 'like me')
    for (let i = 0; i < 2; i++) {
      const response = await engage('POST', 'like', bob, id)
      expect([response.status, response.body]).toEqual([200, { liked: true, like_count: 1 }])
    }
    expect((await getTweet(id)).body.like_count).toBe(1)
    for (let i = 0; i < 2; i++) {
      const response = await engage('DELETE', 'like', bob, id)
      expect([response.status, response.body]).toEqual([200, { liked: false, like_count: 0 }])
    }
    expect((await getTweet(id)).body.like_count).toBe(0)
  })

  it('counts exactly under 20 concurrent likes and unlikes from different users', async () => {
    const [ada, fans] = await Promise.all([newAccount(), accounts(20)])
    const { id } = await tweet(ada, 'popular')
    const likes = await Promise.all(fans.map((fan) => engage('POST', 'like', fan, id)))
    expect(likes.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(likes.map((r) => r.body.like_count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect((await getTweet(id)).body.like_count).toBe(20)

    // Half take their like back while the other half like again (a no-op).
    const changes = await Promise.all(fans.map((fan, i) => engage(i % 2 ? 'DELETE' : 'POST', 'like', fan, id)))
    expect(changes.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect((await getTweet(id)).body.like_count).toBe(10)
  })

  it('stays exact under 20 concurrent likes and unlikes from the same user', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const { id } = await tweet(ada, 'flip flop')
    const storm = await Promise.all(Array.from({ length: 20 }, (_, i) => engage(i % 2 ? 'DELETE' : 'POST', 'like', bob, id)))
    expect(storm.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(storm.every((r) => r.body.like_count === 0 || r.body.like_count === 1)).toBe(true)
    const after = (await getTweet(id)).body.like_count
    expect([0, 1]).toContain(after)
    // The count matches the row that is there: liking again lands on 1, unliking on 0.
    expect((await engage('POST', 'like', bob, id)).body).toEqual({ liked: true, like_count: 1 })
    expect((await engage('DELETE', 'like', bob, id)).body).toEqual({ liked: false, like_count: 0 })

    const same = await Promise.all(Array.from({ length: 20 }, () => engage('POST', 'like', bob, id)))
    expect(same.map((r) => r.body)).toEqual(Array(20).fill({ liked: true, like_count: 1 }))
  })
})

describe('retweets', () => {
  it('retweets and undoes it, each idempotently, and counts concurrent retweets exactly', async () => {
    const [ada, fans] = await Promise.all([newAccount(), accounts(20)])
    const { id } = await tweet(ada, 'share me')
    const [bob] = fans as [Account, ...Account[]]
    expect((await engage('POST', 'retweet', bob, id)).body).toEqual({ retweeted: true, retweet_count: 1 })
    expect((await engage('POST', 'retweet', bob, id)).body).toEqual({ retweeted: true, retweet_count: 1 })
    expect((await engage('DELETE', 'retweet', bob, id)).body).toEqual({ retweeted: false, retweet_count: 0 })
    expect((await engage('DELETE', 'retweet', bob, id)).body).toEqual({ retweeted: false, retweet_count: 0 })

    const responses = await Promise.all(fans.map((fan) => engage('POST', 'retweet', fan, id)))
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect((await getTweet(id)).body).toMatchObject({ retweet_count: 20, like_count: 0 })
  })
})

describe('engaging with a tweet that is not there', () => {
  it('answers 404 TWT_NOT_FOUND for a deleted or unknown tweet, and 401 without a token', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const { id } = await tweet(ada, 'short-lived')
    expect((await engage('POST', 'like', bob, id)).status).toBe(200)
    expect((await tweetService.request(`/tweets/${id}`, { method: 'DELETE', token: ada.token })).status).toBe(204)
    for (const target of [id, '1']) {
      for (const method of ['POST', 'DELETE'] as const) {
        await expectProblem(await engage(method, 'like', bob, target), 404, 'TWT_NOT_FOUND')
        await expectProblem(await engage(method, 'retweet', bob, target), 404, 'TWT_NOT_FOUND')
      }
    }
    await expectProblem(await tweetService.request(`/tweets/${id}/like`, { method: 'POST' }), 401, 'AUTH_REQUIRED')
  })
})
