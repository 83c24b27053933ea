import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { tweetService } from './fixtures/service.ts'
import { engage, expectProblem, getTweet, listAll, post, tweet } from './fixtures/tweets.ts'

/** The reply as each of the three reads shows it (the tweet, its parent's replies, its author's tweets), with or without a token. */
async function everyRead(reply: { id: string; reply_to_id: string | null; author: { id: string } }, reader?: Account) {
  const [one, replies, byAuthor] = await Promise.all([
    getTweet(reply.id, reader?.token),
    listAll(`/tweets/${reply.reply_to_id}/replies`, 20, reader?.token),
    listAll(`/users/${reply.author.id}/tweets`, 20, reader?.token),
  ])
  expect(one.status, JSON.stringify(one.body)).toBe(200)
  return [one.body, replies.items.find((item) => item.id === reply.id), byAuthor.items.find((item) => item.id === reply.id)]
}
const viewers = async (reply: Parameters<typeof everyRead>[0], reader: Account) => (await everyRead(reply, reader)).map((tweet) => tweet?.viewer)
const everywhere = (liked: boolean, retweeted: boolean) => Array(3).fill({ liked, retweeted })

describe('the reader\'s own state of a tweet (viewer)', () => {
  it('is absent without a token, on a tweet, the replies and an author\'s tweets', async () => {
    const [ada, bob] = await Promise.all([newAccount(), newAccount()])
    const root = await tweet(ada, 'root')
    const reply = await tweet(bob, 'reply', { reply_to_id: root.id })
    expect((await engage('POST', 'like', bob, reply.id)).status).toBe(200)
    const reads = await everyRead(reply)
    expect(reads.map((read) => read?.id)).toEqual([reply.id, reply.id, reply.id])
    for (const read of reads) expect(read).not.toHaveProperty('viewer')
  })

  it('with a token, shows the reader\'s like and retweet on every read, until undone, and nobody else\'s', async () => {
    const [ada, bob, cyd] = await Promise.all([newAccount(), newAccount(), newAccount()])
    const root = await tweet(ada, 'root')
    const reply = await tweet(bob, 'reply', { reply_to_id: root.id })
    expect(await viewers(reply, cyd)).toEqual(everywhere(false, false))

    expect((await engage('POST', 'like', cyd, reply.id)).status).toBe(200)
    expect(await viewers(reply, cyd)).toEqual(everywhere(true, false))
    expect((await engage('POST', 'retweet', cyd, reply.id)).status).toBe(200)
    expect(await viewers(reply, cyd)).toEqual(everywhere(true, true))
    expect(await viewers(reply, ada)).toEqual(everywhere(false, false))

    expect((await engage('DELETE', 'like', cyd, reply.id)).status).toBe(200)
    expect(await viewers(reply, cyd)).toEqual(everywhere(false, true))
    expect((await engage('DELETE', 'retweet', cyd, reply.id)).status).toBe(200)
    expect(await viewers(reply, cyd)).toEqual(everywhere(false, false))
    // Everything else about the tweet reads as it does anonymously.
    const [anonymous] = await everyRead(reply)
    expect((await getTweet(reply.id, cyd.token)).body).toEqual({ ...anonymous, viewer: { liked: false, retweeted: false } })
  })

  it('answers POST /tweets/ with the author\'s state: none on a new tweet, and the current one on a retry with the same key', async () => {
    const ada = await newAccount()
    const key = randomUUID()
    const first = await post(ada, { text: 'mine' }, key)
    expect([first.status, first.body.viewer]).toEqual([201, { liked: false, retweeted: false }])
    expect((await engage('POST', 'retweet', ada, first.body.id)).status).toBe(200)
    const retry = await post(ada, { text: 'mine' }, key)
    expect(retry.body).toEqual({ ...first.body, retweet_count: 1, viewer: { liked: false, retweeted: true } })
  })

  it('refuses a bad token on a read with 401 rather than reading anonymously', async () => {
    const ada = await newAccount()
    const { id } = await tweet(ada, 'guarded')
    const bad = { token: 'not.a.token' }
    await expectProblem(await tweetService.request(`/tweets/${id}`, bad), 401, 'AUTH_TOKEN_INVALID')
    await expectProblem(await tweetService.request(`/tweets/${id}/replies`, bad), 401, 'AUTH_TOKEN_INVALID')
    await expectProblem(await tweetService.request(`/users/${ada.id}/tweets`, bad), 401, 'AUTH_TOKEN_INVALID')
  })
})
