import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount, type Account } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { follow, post } from '../setup/social.ts'
import { postForm } from '../setup/media.ts'
import { tally } from './record.ts'

// Object-level authorization over every route that takes a token: Ada's private things (her home
// timeline, notifications, conversations, blocks and mutes) reached by a third user, Eve, and by
// nobody at all. Eve gets what she would get for something that does not exist, and no answer
// carries a trace of Ada's; anonymous callers get 401.

interface World { ada: Account; bob: Account; eve: Account; hidden: Account; muted: Account; secret: string; conversationId: string; tweetId: string; mediaId: string }
interface Call { method: string; path: string; body?: unknown }

/** Routes that name someone's private thing: Ada's, and one that does not exist. */
const PRIVATE: Record<string, (w: World, whose: 'ada' | 'missing') => Call> = {
  'GET /timelines/{user_id}': (w, whose) => ({ method: 'GET', path: `/timelines/${whose === 'ada' ? w.ada.id : '9223372036854775000'}` }),
  'GET /notifications/{user_id}': (w, whose) => ({ method: 'GET', path: `/notifications/${whose === 'ada' ? w.ada.id : '9223372036854775000'}` }),
  'POST /notifications/{user_id}/read': (w, whose) => ({ method: 'POST', path: `/notifications/${whose === 'ada' ? w.ada.id : '9223372036854775000'}/read`, body: {} }),
  'GET /messages/{conversation_id}': (w, whose) => ({ method: 'GET', path: `/messages/${whose === 'ada' ? w.conversationId : '9223372036854775000'}` }),
  'POST /messages/{conversation_id}/read': (w, whose) => ({ method: 'POST', path: `/messages/${whose === 'ada' ? w.conversationId : '9223372036854775000'}/read` }),
  'GET /media/{id}': (w, whose) => ({ method: 'GET', path: `/media/${whose === 'ada' ? w.mediaId : '9223372036854775000'}` }),
  'POST /media/{id}/complete': (w, whose) => ({ method: 'POST', path: `/media/${whose === 'ada' ? w.mediaId : '9223372036854775000'}/complete` }),
}
/** Routes whose answer is the caller's own: Eve's must hold nothing of Ada's. */
const OWN: Record<string, (w: World) => Call> = {
  'GET /users/me': () => ({ method: 'GET', path: '/users/me' }),
  'PATCH /users/me': () => ({ method: 'PATCH', path: '/users/me', body: { bio: 'just eve' } }),
  'GET /conversations': () => ({ method: 'GET', path: '/conversations' }),
  'GET /blocks': () => ({ method: 'GET', path: '/blocks' }),
  'GET /mutes': () => ({ method: 'GET', path: '/mutes' }),
  'GET /search/': (w) => ({ method: 'GET', path: `/search/?q=${w.secret}` }),
}
/** Public reads that take a token when one is sent, for the caller's own state of each tweet (viewer). */
const OPTIONAL: Record<string, (w: World) => Call> = {
  'GET /tweets/{id}': (w) => ({ method: 'GET', path: `/tweets/${w.tweetId}` }),
  'GET /tweets/{id}/replies': (w) => ({ method: 'GET', path: `/tweets/${w.tweetId}/replies` }),
  'GET /users/{user_id}/tweets': (w) => ({ method: 'GET', path: `/users/${w.ada.id}/tweets` }),
}
/** The caller's own edges with another account: what it answers Eve about Ada's blocked and muted ones. */
const RELATIONSHIP = 'GET /relationships/{user_id}'
/** Routes that act as the caller on public things (a tweet, an account): nothing private to reach. */
const ACTIONS = ['DELETE /tweets/{id}', 'POST /tweets/', 'POST /tweets/{id}/like', 'DELETE /tweets/{id}/like', 'POST /tweets/{id}/retweet', 'DELETE /tweets/{id}/retweet',
  'POST /follow/', 'POST /unfollow/', 'POST /block/', 'POST /unblock/', 'POST /mute/', 'POST /unmute/', 'POST /messages/', 'POST /media']

let world: World
beforeAll(async () => {
  const [ada, bob, eve, hidden, muted] = await Promise.all([newAccount('ada'), newAccount('bob'), newAccount('eve'), newAccount('hidden'), newAccount('muted')])
  const secret = `s${randomUUID().replaceAll('-', '')}`
  await follow(ada, bob)
  const tweet = await post(ada, `ada's own tweet ${secret}`)
  // Something in every private place of Ada's: a message, a notification (Bob likes her tweet), her
  // timeline (Bob's tweet), a block and a mute.
  const message = await gateway('/messages/', { token: ada.token, body: { recipient_id: bob.id, text: `between us ${secret}` } })
  expect(message.status).toBe(201)
  await gateway(`/tweets/${tweet.id}/like`, { method: 'POST', token: bob.token })
  // Bob's own state of tweets others read: his like and retweet of a reply to Ada.
  const reply = await post(bob, `bob's reply to ada ${secret}`, { reply_to_id: tweet.id })
  await gateway(`/tweets/${reply.id}/like`, { method: 'POST', token: bob.token })
  await gateway(`/tweets/${reply.id}/retweet`, { method: 'POST', token: bob.token })
  await post(bob, `bob's tweet for ada ${secret}`)
  await gateway('/block/', { token: ada.token, body: { user_id: hidden.id } })
  await gateway('/mute/', { token: ada.token, body: { user_id: muted.id } })
  // And a picture of hers in the store, its alt text holding the secret.
  const picture = Buffer.from('89504e470d0a1a0a', 'hex')
  const media = await gateway('/media', { token: ada.token, body: { content_type: 'image/png', size: picture.length, alt_text: `ada's picture ${secret}` } })
  expect((await postForm(media.body.upload, picture, 'image/png')).status).toBe(204)
  world = { ada, bob, eve, hidden, muted, secret, conversationId: message.body.conversation_id, tweetId: tweet.id, mediaId: media.body.id }
  await waitFor(async () => (await gateway(`/notifications/${ada.id}`, { token: ada.token })).body.items?.length > 0, { what: 'Ada\'s notification' })
})

const counts = tally('object-level authorization: a third user and nobody',
  () => `${Object.keys(PRIVATE).length} routes to someone's private things, ${Object.keys(OWN).length} answering the caller's own, ${Object.keys(OPTIONAL).length} public reads with the caller's own state, ${ACTIONS.length} acting on public ones`)
function as(who: Account | undefined, call: Call) {
  counts.requests++
  return gateway(call.path, { method: call.method, ...(call.body === undefined ? {} : { body: call.body }), ...(who ? { token: who.token } : {}) })
}
const answer = (r: { status: number; body: { code?: string } }) => ({ status: r.status, code: r.body?.code })

describe('object-level authorization', () => {
  it('covers every route that takes a token', async () => {
    const spec = (await gateway('/docs/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown }>> }
    const secured = Object.entries(spec.paths).flatMap(([path, item]) => Object.entries(item).filter(([, op]) => op.security).map(([method]) => `${method.toUpperCase()} ${path}`))
    expect(secured.toSorted()).toEqual([...Object.keys(PRIVATE), ...Object.keys(OWN), ...Object.keys(OPTIONAL), RELATIONSHIP, ...ACTIONS].toSorted())
  })

  it('gives Ada her own things, to begin with', async () => {
    for (const [route, make] of Object.entries(PRIVATE)) expect(Math.floor((await as(world.ada, make(world, 'ada'))).status / 100), route).toBe(2)
  })

  it.each(Object.keys(PRIVATE))('answers %s on Ada\'s thing to Eve as it would on a missing one, and to nobody with 401', async (route) => {
    const make = PRIVATE[route]!
    const [eves, missing, nobody] = await Promise.all([as(world.eve, make(world, 'ada')), as(world.eve, make(world, 'missing')), as(undefined, make(world, 'ada'))])
    expect(eves.status).toBeGreaterThanOrEqual(400)
    expect(answer(eves)).toEqual(answer(missing))
    expect(JSON.stringify(eves.body)).not.toContain(world.secret)
    expect(nobody.status).toBe(401)
  })

  it.each(Object.keys(OWN))('answers %s to Eve with nothing of Ada\'s', async (route) => {
    const response = await as(world.eve, OWN[route]!(world))
    expect(response.status).toBeLessThan(400)
    const text = JSON.stringify(response.body)
    for (const trace of [world.conversationId, world.hidden.id, world.muted.id, `between us ${world.secret}`]) expect(text).not.toContain(trace)
    if (!route.startsWith('GET /search')) expect((await as(undefined, OWN[route]!(world))).status).toBe(401)
  })

  it.each(Object.keys(OPTIONAL))('answers %s with the caller\'s own state of each tweet: Eve\'s, never Bob\'s, and nobody\'s without a token', async (route) => {
    const [eves, bobs, nobody] = await Promise.all([as(world.eve, OPTIONAL[route]!(world)), as(world.bob, OPTIONAL[route]!(world)), as(undefined, OPTIONAL[route]!(world))])
    for (const response of [eves, bobs, nobody]) expect(response.status).toBe(200)
    const viewers = (body: { viewer?: unknown; items?: { viewer?: unknown }[] }) => (body.items ?? [body]).map((tweet) => tweet.viewer)
    expect(viewers(eves.body).length).toBeGreaterThan(0)
    expect(viewers(eves.body).every((viewer) => JSON.stringify(viewer) === JSON.stringify({ liked: false, retweeted: false }))).toBe(true)
    expect(viewers(nobody.body).every((viewer) => viewer === undefined)).toBe(true)
    // Bob liked Ada's tweet, and liked and retweeted his reply: he sees so, and only he does.
    if (route !== 'GET /users/{user_id}/tweets') expect(viewers(bobs.body)).toContainEqual(expect.objectContaining({ liked: true }))
  })

  it(`answers ${RELATIONSHIP} with the caller's own edges: Eve learns nothing of Ada's block and mute`, async () => {
    const edges = (who: Account | undefined, other: Account) => as(who, { method: 'GET', path: `/relationships/${other.id}` })
    const none = { following: false, followed_by: false, blocking: false, blocked_by: false, muting: false }
    const [adaHidden, adaMuted, eveHidden, eveMuted, nobody] = await Promise.all([
      edges(world.ada, world.hidden), edges(world.ada, world.muted), edges(world.eve, world.hidden), edges(world.eve, world.muted), edges(undefined, world.hidden),
    ])
    expect(adaHidden.body).toEqual({ id: world.hidden.id, ...none, blocking: true })
    expect(adaMuted.body).toEqual({ id: world.muted.id, ...none, muting: true })
    expect(eveHidden.body).toEqual({ id: world.hidden.id, ...none })
    expect(eveMuted.body).toEqual({ id: world.muted.id, ...none })
    expect(nobody.status).toBe(401)
  })

  it('lets only Ada delete her tweet', async () => {
    expect(answer(await as(world.eve, { method: 'DELETE', path: `/tweets/${world.tweetId}` }))).toEqual({ status: 403, code: 'TWT_NOT_AUTHOR' })
    expect((await as(undefined, { method: 'DELETE', path: `/tweets/${world.tweetId}` })).status).toBe(401)
    expect((await gateway(`/tweets/${world.tweetId}`)).status).toBe(200)
  })
})
