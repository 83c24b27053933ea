import { createMemoryUnitOfWork } from '@starling/shared/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryUserRepository } from './user.repository.memory.ts'
import { createUserService } from './user.service.ts'

function setup() {
  const users = createMemoryUserRepository()
  const uow = createMemoryUnitOfWork({ users })
  const passwords = { hash: async (password: string) => `hashed:${password}` }
  return { service: createUserService({ uow, users, passwords }), users, events: uow.published }
}
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { code?: string; errors?: unknown }) => ({ code: error.code, errors: error.errors }))
const ada = { username: 'Ada_L', email: 'Ada@Example.com', password: 'long enough secret' }

describe('registering', () => {
  it('stores the account with its email in lower case and the password only hashed, and publishes user.registered', async () => {
    const { service, users, events } = setup()
    const user = await service.register({ ...ada, display_name: '  Ada Lovelace ' })
    expect(user).toEqual({
      id: '1', username: 'Ada_L', display_name: 'Ada Lovelace', bio: '', created_at: expect.any(String),
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
      ['user.updated', user.id, { user_id: user.id, username: 'Ada_L', display_name: 'Ada L.', bio: 'Counting engines.', updated_at: expect.any(String) }],
      ['user.updated', user.id, { user_id: user.id, username: 'Ada_L', display_name: 'Ada L.', bio: '', updated_at: expect.any(String) }],
    ])
  })

  it('refuses to change an account that does not exist, and publishes nothing', async () => {
    const { service, events } = setup()
    expect(await failure(service.update('404', { bio: 'hi' }))).toMatchObject({ code: 'USR_NOT_FOUND' })
    expect(events).toEqual([])
  })
})
