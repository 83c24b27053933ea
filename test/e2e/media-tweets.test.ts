import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { waitFor } from '@starling/shared/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { png } from '../../services/media/test/fixtures/images.ts'
import { type Account, newAccount } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'
import { sendPicture, settled } from '../setup/media.ts'
import { follow, timeline } from '../setup/social.ts'

/** A picture of `who`'s, processed and ready. */
async function picture(who: Account, altText: string) {
  const id = await sendPicture(who, await png(), 'image/png', altText)
  expect((await settled(who, id)).state).toBe('ready')
  return id
}

/**
 * POST /tweets/ with pictures. The tweet service learns that a picture is ready from the media
 * events, a moment after GET /media says so: until then it answers 409 with Retry-After, and a
 * client tries again, as this does.
 */
const tweet = (who: Account, body: Record<string, unknown>) => waitFor(async () => {
  const response = await gateway('/tweets/', { token: who.token, body })
  return !(response.status === 409 && response.body.code === 'TWT_MEDIA_NOT_READY') && response
}, { what: 'the tweet service to know the pictures are ready' })

const gone = (url: string) => waitFor(async () => (await fetch(url)).status === 404, { what: `${url} deleted`, timeoutMs: 30_000 })

const media = new pg.Pool({ connectionString: testEnv.databaseUrl('starling_media'), max: 1 })
afterAll(() => media.end())

describe('pictures on tweets', () => {
  it('go on a tweet in the order given and show wherever the tweet does: the tweet, the author\'s tweets, a follower\'s home timeline and search', async () => {
    const [ada, bob] = await Promise.all([newAccount('pictures'), newAccount('viewer')])
    await follow(bob, ada)
    const [first, second] = [await picture(ada, 'the first one'), await picture(ada, 'the second one')]
    const word = `p${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const posted = await tweet(ada, { text: `two pictures ${word}`, media_ids: [second, first] })
    expect(posted.status, JSON.stringify(posted.body)).toBe(201)
    const shown = posted.body.media as { id: string; url: string; preview_url: string; width: number; height: number; alt_text: string }[]
    expect(shown.map((m) => [m.id, m.alt_text])).toEqual([[second, 'the second one'], [first, 'the first one']])
    expect(shown[0]).toMatchObject({ width: 64, height: 48 })
    expect((await fetch(shown[0]!.preview_url)).headers.get('content-type')).toBe('image/webp')

    const find = (items: { id: string; media: unknown }[] | undefined) => items?.find((item) => item.id === posted.body.id)?.media
    const everywhere = {
      'GET /tweets/{id}': async () => (await gateway(`/tweets/${posted.body.id}`)).body.media,
      'the author\'s tweets': async () => find((await gateway(`/users/${ada.id}/tweets`)).body.items),
      'the home timeline': async () => find((await timeline(bob)).body.items),
      'search': async () => find((await gateway(`/search/?q=${word}`)).body.items),
    }
    for (const [where, read] of Object.entries(everywhere)) {
      let last: unknown
      await waitFor(async () => { last = await read(); return last !== undefined }, { what: `${where} to show the tweet` }).catch(() => undefined)
      expect(last, where).toEqual(shown)
    }
  })

  it('refuses another\'s picture, an unknown one, a fifth, and one already on a tweet, each as problem+json', async () => {
    const [ada, eve] = await Promise.all([newAccount('pictures'), newAccount('thief')])
    const [mine, theirs] = await Promise.all([picture(ada, 'mine'), picture(eve, 'theirs')])
    const refused = async (ids: string[], status: number, code: string) => {
      const response = await tweet(ada, { text: 'with pictures', media_ids: ids })
      expect(response, ids.join()).toMatchObject({ status, body: { code } })
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    }
    await refused([theirs], 403, 'TWT_MEDIA_NOT_OWNER')
    await refused(['123456789012345'], 404, 'TWT_MEDIA_NOT_FOUND')
    await refused(['1', '2', '3', '4', '5'], 400, 'VALIDATION_FAILED')
    await refused([mine, mine], 400, 'VALIDATION_FAILED')
    expect((await tweet(ada, { text: 'the first tweet with it', media_ids: [mine] })).status).toBe(201)
    await refused([mine], 409, 'TWT_MEDIA_ATTACHED')
  })

  it('deletes a tweet\'s files with the tweet', async () => {
    const ada = await newAccount('pictures')
    const id = await picture(ada, 'short-lived')
    const posted = await tweet(ada, { text: 'soon gone', media_ids: [id] })
    const { url, preview_url: previewUrl } = (posted.body.media as { url: string; preview_url: string }[])[0]!
    expect((await fetch(url)).status).toBe(200)
    expect((await gateway(`/tweets/${posted.body.id}`, { method: 'DELETE', token: ada.token })).status).toBe(204)
    await gone(url)
    await gone(previewUrl)
    await waitFor(async () => (await gateway(`/media/${id}`, { token: ada.token })).status === 404, { what: 'the media gone for its owner' })
  })

  it('deletes an upload nobody used within a day, and keeps a used one of the same age', async () => {
    const ada = await newAccount('pictures')
    const [unused, used] = [await picture(ada, 'never posted'), await picture(ada, 'posted')]
    expect((await tweet(ada, { text: 'this one is used', media_ids: [used] })).status).toBe(201)
    const { url } = (await gateway(`/media/${unused}`, { token: ada.token })).body as { url: string }
    // A day passes for both (the sweep runs every 2 s in the tests, MEDIA_SWEEP_SECONDS); the tweet's use has to reach the media service first.
    await waitFor(async () => (await media.query('SELECT 1 FROM media WHERE id = $1 AND tweet_id IS NOT NULL', [used])).rowCount === 1, { what: 'the use recorded' })
    await media.query("UPDATE media SET created_at = created_at - interval '25 hours' WHERE id = ANY ($1::bigint[])", [[unused, used]])
    await gone(url)
    expect((await gateway(`/media/${unused}`, { token: ada.token })).status).toBe(404)
    // The tweet service forgets it too: it can no longer go on a tweet.
    await waitFor(async () => (await tweet(ada, { text: 'too late', media_ids: [unused] })).status === 404, { what: 'the tweet service to forget it' })
    expect((await gateway(`/media/${used}`, { token: ada.token })).body.state).toBe('ready')
  })

  it('sets a profile picture that reaches the author block of every tweet of theirs, wherever it shows, and search\'s accounts', async () => {
    const [ada, bob, eve] = await Promise.all([newAccount('avatar'), newAccount('viewer'), newAccount('thief')])
    await follow(bob, ada)
    const word = `a${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const posted = await tweet(ada, { text: `before the picture ${word}` })
    const id = await picture(ada, 'my face')
    const theirs = await gateway('/users/me', { method: 'PATCH', token: eve.token, body: { avatar_media_id: id } })
    expect(theirs).toMatchObject({ status: 403, body: { code: 'USR_MEDIA_NOT_OWNER' } })
    const changed = await waitFor(async () => {
      const response = await gateway('/users/me', { method: 'PATCH', token: ada.token, body: { avatar_media_id: id } })
      return !(response.status === 409 && response.body.code === 'USR_MEDIA_NOT_READY') && response
    }, { what: 'the user service to know the picture is ready' })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    const avatarUrl = (await gateway(`/media/${id}`, { token: ada.token })).body.preview_url as string
    expect(changed.body.avatar_url).toBe(avatarUrl)
    expect((await gateway(`/users/${ada.id}`)).body.avatar_url).toBe(avatarUrl)
    expect((await fetch(avatarUrl)).status).toBe(200)

    const authorOf = (items: { id: string; author: { avatar_url: unknown } }[] | undefined) => items?.find((item) => item.id === posted.body.id)?.author.avatar_url
    const everywhere = {
      'GET /tweets/{id}': async () => (await gateway(`/tweets/${posted.body.id}`)).body.author.avatar_url,
      'the author\'s tweets': async () => authorOf((await gateway(`/users/${ada.id}/tweets`)).body.items),
      'the home timeline': async () => authorOf((await timeline(bob)).body.items),
      'search': async () => authorOf((await gateway(`/search/?q=${word}`)).body.items),
      'search\'s accounts': async () => (await gateway(`/search/?q=${ada.username}&type=users`)).body.items?.find((user: { id: string }) => user.id === ada.id)?.avatar_url,
    }
    for (const [where, read] of Object.entries(everywhere)) {
      let last: unknown
      await waitFor(async () => { last = await read(); return last === avatarUrl }, { what: `${where} to show the picture` }).catch(() => undefined)
      expect(last, where).toBe(avatarUrl)
    }
    // An avatar is in use: a day later the sweep leaves it, while it takes an unused upload of the same age.
    const unused = await picture(ada, 'never used')
    const { url: unusedUrl } = (await gateway(`/media/${unused}`, { token: ada.token })).body as { url: string }
    await waitFor(async () => (await media.query('SELECT 1 FROM media WHERE id = $1 AND avatar_of IS NOT NULL', [id])).rowCount === 1, { what: 'the use recorded' })
    await media.query("UPDATE media SET created_at = created_at - interval '25 hours' WHERE id = ANY ($1::bigint[])", [[id, unused]])
    await gone(unusedUrl)
    expect((await fetch(avatarUrl)).status).toBe(200)

    const removed = await gateway('/users/me', { method: 'PATCH', token: ada.token, body: { avatar_media_id: null } })
    expect(removed.body.avatar_url).toBeNull()
    await waitFor(async () => (await gateway(`/tweets/${posted.body.id}`)).body.author.avatar_url === null, { what: 'the picture gone from the author block' })
  })
})
