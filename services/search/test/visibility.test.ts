import { describe, expect, it } from 'vitest'
import { newAccount } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { post } from '../../../test/setup/social.ts'
import { searchService } from './fixtures/service.ts'
import { searchIds, uniqueWord, untilSearch } from './search-client.ts'

describe('blocks and mutes in search', () => {
  it('leaves out, for the searcher only, those who blocked them and those they blocked or muted', async () => {
    const [me, blocker, blocked, muted, other] = await Promise.all(
      [newAccount('me'), newAccount('blocker'), newAccount('blocked'), newAccount('muted'), newAccount('other')])
    const word = uniqueWord()
    const tweets = {
      blocker: await post(blocker, `${word} by the blocker`),
      blocked: await post(blocked, `${word} by the blocked`),
      muted: await post(muted, `${word} by the muted`),
      other: await post(other, `${word} by someone else`),
    }
    await untilSearch({ q: word }, (ids) => ids.length === 4, 'all four tweets')
    expect((await gateway('/block/', { token: blocker.token, body: { user_id: me.id } })).status).toBe(200)
    expect((await gateway('/block/', { token: me.token, body: { user_id: blocked.id } })).status).toBe(200)
    expect((await gateway('/mute/', { token: me.token, body: { user_id: muted.id } })).status).toBe(200)

    await untilSearch({ q: word }, (ids) => ids.length === 1 && ids[0] === tweets.other.id, 'only the unrelated tweet', { viewer: me })
    // Without a token, and for anyone else, everything public is there.
    expect(await searchIds({ q: word })).toHaveLength(4)
    expect(await searchIds({ q: word }, other)).toHaveLength(4)
    // Accounts too.
    expect(await searchIds({ q: blocker.username, type: 'users' }, me)).toEqual([])
    expect(await searchIds({ q: muted.username, type: 'users' }, me)).toEqual([])
    // Accounts are indexed from their own events, which may trail the tweets under load.
    await untilSearch({ q: other.username, type: 'users' }, (ids) => ids.length === 1 && ids[0] === other.id, 'the unrelated account', { viewer: me })
    await untilSearch({ q: blocker.username, type: 'users' }, (ids) => ids.length === 1 && ids[0] === blocker.id, 'the blocker, for everyone else')

    expect((await gateway('/unmute/', { token: me.token, body: { user_id: muted.id } })).status).toBe(200)
    await untilSearch({ q: word }, (ids) => ids.length === 2 && ids.includes(tweets.muted.id), 'the unmuted author back', { viewer: me })
  })

  it('refuses a bad token rather than searching as nobody', async () => {
    const response = await searchService.request('/search/?q=x', { token: 'not-a-token' })
    expect(response.status).toBe(401)
  })
})
