import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount, type Account } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'

const profile = async (id: string) => (await gateway(`/users/${id}`)).body
const follow = (who: Account, whom: Account) => gateway('/follow/', { token: who.token, body: { user_id: whom.id } })
const unfollow = (who: Account, whom: Account) => gateway('/unfollow/', { token: who.token, body: { user_id: whom.id } })

describe('counts on profiles (follower and tweet services → Kafka → user service)', () => {
  it('counts every follower of a popular account once', async () => {
    const star = await newAccount('star')
    const fans = await Promise.all(Array.from({ length: 8 }, () => newAccount('fan')))
    const responses = await Promise.all(fans.flatMap((fan) => [follow(fan, star), follow(fan, star)]))
    expect(responses.every((r) => r.status === 200)).toBe(true)
    await waitFor(async () => (await profile(star.id)).followers_count === 8, { timeoutMs: 20_000, what: 'followers_count 8' })
    for (const fan of fans.slice(0, 3)) {
      await waitFor(async () => (await profile(fan.id)).following_count === 1, { what: 'following_count 1' })
    }
  })

  it('ends exact after a storm of follows and unfollows of one pair', async () => {
    const [a, b] = await Promise.all([newAccount('a'), newAccount('b')])
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? follow(a, b) : unfollow(a, b))))
    const following = (await gateway(`/following/${a.id}`)).body.items.some((u: { id: string }) => u.id === b.id)
    const expected = following ? 1 : 0
    await waitFor(async () => {
      const [pa, pb] = await Promise.all([profile(a.id), profile(b.id)])
      return pa.following_count === expected && pb.followers_count === expected
    }, { timeoutMs: 20_000, what: `counts of ${expected}` })
    // One more deliberate change still moves the counts by exactly one.
    await (following ? unfollow(a, b) : follow(a, b))
    await waitFor(async () => (await profile(b.id)).followers_count === 1 - expected, { timeoutMs: 20_000, what: 'the final toggle' })
  })

  it('takes follows away in both directions when one blocks the other', async () => {
    const [a, b] = await Promise.all([newAccount('a'), newAccount('b')])
    await follow(a, b)
    await follow(b, a)
    await waitFor(async () => (await profile(a.id)).followers_count === 1 && (await profile(b.id)).followers_count === 1, { what: 'mutual follow counted' })
    expect((await gateway('/block/', { token: a.token, body: { user_id: b.id } })).status).toBe(200)
    await waitFor(async () => {
      const [pa, pb] = await Promise.all([profile(a.id), profile(b.id)])
      return pa.followers_count === 0 && pa.following_count === 0 && pb.followers_count === 0 && pb.following_count === 0
    }, { timeoutMs: 20_000, what: 'all counts back to zero' })
  })

  it('counts the tweets an account posted, less the ones it deleted', async () => {
    const author = await newAccount('author')
    const posted = []
    for (const text of ['one', 'two', 'three']) {
      posted.push((await gateway('/tweets/', { token: author.token, body: { text } })).body.id)
    }
    await waitFor(async () => (await profile(author.id)).tweets_count === 3, { timeoutMs: 20_000, what: 'tweets_count 3' })
    expect((await gateway(`/tweets/${posted[0]}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    await waitFor(async () => (await profile(author.id)).tweets_count === 2, { timeoutMs: 20_000, what: 'tweets_count 2' })
  })
})
