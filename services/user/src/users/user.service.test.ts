import { createMediaReplica } from '@starling/shared/replicas'
import { createEvent } from '@starling/shared/events'
import { createMemoryMediaReplicaRepository, createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryUserRepository } from './user.repository.memory.ts'
import { createUserService } from './user.service.ts'

function setup() {
  const users = createMemoryUserRepository()
  const uow = createMemoryUnitOfWork({ users })
  const passwords = { hash: async (password: string) => `hashed:${password}` }
  const media = createMemoryMediaReplicaRepository()
  return { service: createUserService({ uow, users, media, passwords }), users, media, events: uow.published }
}
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { code?: string; errors?: unknown }) => ({ code: error.code, errors: error.errors }))
const ada = { username: 'Ada_L', email: 'Ada@Example.com', password: 'long enough secret' }

describe('registering', () => {
  it('stores the account with its email in lower case and the password only hashed, and publishes user.registered', async () => {
    const { service, users, events } = setup()
    const user = await service.register({ ...ada, display_name: '  Ada Lovelace ' })
    expect(user).toEqual({
      id: '1', username: 'Ada_L', display_name: 'Ada Lovelace', bio: '', avatar_url: null, created_at: expect.any(String),
      followers_count: 0, following_count: 0, tweets_count: 0,
    })
    expect(await users.findCredentials('ada@example.com')).toEqual({ id: '1', password_hash: 'hashed:long enough secret' })
    expect(events).toEqual([expect.objectContaining({
      type: 'user.registered', key: '1', payload: { user_id: '1', username: 'Ada_L', display_name: 'Ada Lovelace', created_at: user.created_at },
    })])
  })

  it('uses the username as display name when none (or only blanks) is given', async () => {
    const { service } = setup()
    expect((await service.register(ada)).display_name).toBe('Ada_L')
    expect((await service.register({ username: 'bob', email: 'bob@example.com', password: 'long enough secret', display_name: '   ' })).display_name).toBe('bob')
  })

  it('refuses a taken username or email, ignoring case, and a look-alike username, naming the field and publishing nothing', async () => {
    const { service, events } = setup()
    await service.register(ada)
    events.length = 0
    expect(await failure(service.register({ ...ada, username: 'ADA_L', email: 'other@example.com' })))
      .toEqual({ code: 'USR_USERNAME_TAKEN', errors: [{ field: 'username', message: 'is already taken' }] })
    expect(await failure(service.register({ ...ada, username: 'someone', email: 'ADA@example.COM' })))
      .toEqual({ code: 'USR_EMAIL_TAKEN', errors: [{ field: 'email', message: 'is already registered' }] })
    // 1 reads as l: "Ada_1" reads the same as "Ada_L".
    expect(await failure(service.register({ ...ada, username: 'Ada_1', email: 'other@example.com' })))
      .toEqual({ code: 'USR_USERNAME_CONFUSABLE', errors: [{ field: 'username', message: 'reads the same as a username already taken' }] })
    expect(events).toEqual([])
    expect((await service.register({ ...ada, username: 'Ada_Lx', email: 'other@example.com' })).username).toBe('Ada_Lx')
  })
})

describe('profiles', () => {
  it('shows the email to its owner only, and finds a profile by username in any case', async () => {
    const { service } = setup()
    const user = await service.register(ada)
    expect(await service.me(user.id)).toEqual({ ...user, email: 'ada@example.com' })
    expect(await service.get(user.id)).toEqual(user)
    expect(await service.getByUsername('ada_l')).toEqual(user)
  })

  it('answers USR_NOT_FOUND for an id or a username nobody has', async () => {
    const { service } = setup()
    await service.register(ada)
    expect(await failure(service.get('404'))).toMatchObject({ code: 'USR_NOT_FOUND' })
    expect(await failure(service.me('404'))).toMatchObject({ code: 'USR_NOT_FOUND' })
    expect(await failure(service.getByUsername('nobody'))).toMatchObject({ code: 'USR_NOT_FOUND' })
  })

  it('changes the display name (trimmed) and the bio, keeps what is not given, and publishes user.updated for the copies', async () => {
    const { service, events } = setup()
    const user = await service.register(ada)
    events.length = 0
    expect(await service.update(user.id, { display_name: '  Ada L.  ', bio: 'Counting engines.' })).toMatchObject({ display_name: 'Ada L.', bio: 'Counting engines.', email: 'ada@example.com' })
    expect(await service.update(user.id, { bio: '' })).toMatchObject({ display_name: 'Ada L.', bio: '' })
    expect(await service.get(user.id)).toMatchObject({ display_name: 'Ada L.', bio: '' })
    expect(events.map((event) => [event.type, event.key, event.payload])).toEqual([
      ['user.updated', user.id, { user_id: user.id, username: 'Ada_L', display_name: 'Ada L.', bio: 'Counting engines.', avatar_media_id: null, avatar_url: null, updated_at: expect.any(String) }],
      ['user.updated', user.id, { user_id: user.id, username: 'Ada_L', display_name: 'Ada L.', bio: '', avatar_media_id: null, avatar_url: null, updated_at: expect.any(String) }],
    ])
  })

  it('sets a ready picture of the owner\'s as the avatar, carried by user.updated, and removes it with null', async () => {
    const { service, media, events } = setup()
    const user = await service.register(ada)
    const at = '2026-01-01T00:00:00.000Z'
    await createMediaReplica(media)(createEvent('media.processed', 1, '77', {
      media_id: '77', owner_id: user.id, url: '/m/77/original.webp', preview_url: '/m/77/preview.webp', width: 10, height: 10, alt_text: '', placeholder: 'data:,', processed_at: at,
    }))
    events.length = 0
    expect(await service.update(user.id, { avatar_media_id: '77' })).toMatchObject({ avatar_url: '/m/77/preview.webp', display_name: 'Ada_L' })
    expect((await service.get(user.id)).avatar_url).toBe('/m/77/preview.webp')
    expect(await service.update(user.id, { bio: 'kept' })).toMatchObject({ avatar_url: '/m/77/preview.webp' })
    expect(await service.update(user.id, { avatar_media_id: null })).toMatchObject({ avatar_url: null })
    expect(events.map((event) => [event.version, (event.payload as { avatar_media_id: unknown }).avatar_media_id, (event.payload as { avatar_url: unknown }).avatar_url])).toEqual([
      [2, '77', '/m/77/preview.webp'], [2, '77', '/m/77/preview.webp'], [2, null, null],
    ])
  })

  it('refuses as avatar another\'s picture (403), an unknown one (404), one still processing (409) and a refused one (400), changing nothing', async () => {
    const { service, media, events } = setup()
    const user = await service.register(ada)
    await media.record({ id: '81', ownerId: '999', state: 'ready', attachment: { id: '81', url: 'u', preview_url: 'p', width: 1, height: 1, alt_text: '' } })
    await media.record({ id: '82', ownerId: user.id, state: 'pending' })
    await media.record({ id: '83', ownerId: user.id, state: 'rejected' })
    events.length = 0
    expect(await failure(service.update(user.id, { avatar_media_id: '81' }))).toMatchObject({ code: 'USR_MEDIA_NOT_OWNER' })
    expect(await failure(service.update(user.id, { avatar_media_id: '80' }))).toMatchObject({ code: 'USR_MEDIA_NOT_FOUND' })
    expect(await failure(service.update(user.id, { avatar_media_id: '82' }))).toMatchObject({ code: 'USR_MEDIA_NOT_READY' })
    expect(await failure(service.update(user.id, { avatar_media_id: '83', bio: 'not this either' }))).toMatchObject({ code: 'USR_MEDIA_REJECTED' })
    expect(events).toEqual([])
    expect(await service.get(user.id)).toMatchObject({ avatar_url: null, bio: '' })
  })

  it('refuses to change an account that does not exist, and publishes nothing', async () => {
    const { service, events } = setup()
    expect(await failure(service.update('404', { bio: 'hi' }))).toMatchObject({ code: 'USR_NOT_FOUND' })
    expect(events).toEqual([])
  })
})
