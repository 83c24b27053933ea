import { createEvent } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { PasswordHasher } from '../auth/password-hasher.ts'
import { errors } from '../errors.ts'
import type { Taken, UserRepository } from './user.repository.ts'
import type { NewUser, PrivateProfile, ProfileChanges, PublicProfile } from './user.schemas.ts'

const TAKEN: Record<Taken, { field: string; code: 'USR_USERNAME_TAKEN' | 'USR_EMAIL_TAKEN' | 'USR_USERNAME_CONFUSABLE'; message: string }> = {
  username: { field: 'username', code: 'USR_USERNAME_TAKEN', message: 'is already taken' },
  email: { field: 'email', code: 'USR_EMAIL_TAKEN', message: 'is already registered' },
  username_skeleton: { field: 'username', code: 'USR_USERNAME_CONFUSABLE', message: 'reads the same as a username already taken' },
}

const userNotFound = (what: string) => errors.USR_NOT_FOUND(`No user has ${what}.`)

/**
 * Accounts and profiles. A registration and a profile change commit together with their event
 * (user.registered, user.updated), which the services that copy profiles consume.
 */
export function createUserService(deps: { uow: UnitOfWork<{ users: UserRepository }>; users: UserRepository; passwords: Pick<PasswordHasher, 'hash'> }) {
  const { uow, users, passwords } = deps
  return {
    async register(input: NewUser): Promise<PublicProfile> {
      const passwordHash = await passwords.hash(input.password)
      return uow.run(async ({ users }, events) => {
        const inserted = await users.insert({
          username: input.username,
          email: input.email.toLowerCase(),
          passwordHash,
          displayName: input.display_name?.trim() || input.username,
        })
        if ('taken' in inserted) {
          const { field, code, message } = TAKEN[inserted.taken]
          throw errors[code](`That ${field} ${message}.`, { errors: [{ field, message }] })
        }
        events.publish(createEvent('user.registered', 1, inserted.id, {
          user_id: inserted.id, username: inserted.username, display_name: inserted.display_name, created_at: inserted.created_at,
        }))
        return inserted
      })
    },

    async get(id: string) {
      return (await users.findById(id)) ?? Promise.reject(userNotFound(`id ${id}`))
    },

    async getByUsername(username: string) {
      return (await users.findByUsername(username)) ?? Promise.reject(userNotFound(`username ${username}`))
    },

    async me(id: string) {
      return (await users.findPrivateById(id)) ?? Promise.reject(userNotFound(`id ${id}`))
    },

    /** Changes display name and/or bio. */
    async update(id: string, changes: ProfileChanges): Promise<PrivateProfile> {
      return uow.run(async ({ users }, events) => {
        const updated = await users.updateProfile(id, { display_name: changes.display_name?.trim(), bio: changes.bio })
        if (!updated) throw userNotFound(`id ${id}`)
        const { updated_at, ...profile } = updated
        events.publish(createEvent('user.updated', 1, id, {
          user_id: id, username: profile.username, display_name: profile.display_name, bio: profile.bio, updated_at,
        }))
        return profile
      })
    },
  }
}
export type UserService = ReturnType<typeof createUserService>
