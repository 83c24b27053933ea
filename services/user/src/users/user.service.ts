import { uniqueViolation, withTransaction } from '@starling/shared/db'
import { conflict, notFound } from '@starling/shared/errors'
import { createEvent } from '@starling/shared/events'
import { enqueueEvents } from '@starling/shared/outbox'
import type { Pool } from 'pg'
import type { PasswordHasher } from '../auth/password-hasher.ts'
import type { UserRepository } from './user.repository.ts'
import type { NewUser, PrivateProfile, ProfileChanges, PublicProfile } from './user.schemas.ts'

const CONFLICTS: Record<string, { field: string; code: string; message: string }> = {
  users_username_key: { field: 'username', code: 'USR_USERNAME_TAKEN', message: 'is already taken' },
  users_email_key: { field: 'email', code: 'USR_EMAIL_TAKEN', message: 'is already registered' },
  // See migrations/1710000000002_username-skeleton.sql for what reads the same.
  users_username_skeleton_key: { field: 'username', code: 'USR_USERNAME_CONFUSABLE', message: 'reads the same as a username already taken' },
}

const userNotFound = (what: string) => notFound('USR_NOT_FOUND', `No user has ${what}.`)

export function createUserService(deps: { pool: Pool; users: UserRepository; passwords: PasswordHasher }) {
  const { pool, users, passwords } = deps
  return {
    /** Stores the account and its `user.registered` event in one transaction. */
    async register(input: NewUser): Promise<PublicProfile> {
      const passwordHash = await passwords.hash(input.password)
      try {
        return await withTransaction(pool, async (tx) => {
          const user = await users.insert(tx, {
            username: input.username,
            email: input.email.toLowerCase(),
            passwordHash,
            displayName: input.display_name?.trim() || input.username,
          })
          await enqueueEvents(tx, [createEvent('user.registered', 1, user.id, {
            user_id: user.id, username: user.username, display_name: user.display_name, created_at: user.created_at,
          })])
          return user
        })
      } catch (error) {
        const taken = CONFLICTS[uniqueViolation(error) ?? '']
        if (taken) throw conflict(taken.code, `That ${taken.field} ${taken.message}.`, [{ field: taken.field, message: taken.message }])
        throw error
      }
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

    /** Changes display name and/or bio, with a `user.updated` event for the services that copy them. */
    async update(id: string, changes: ProfileChanges): Promise<PrivateProfile> {
      return withTransaction(pool, async (tx) => {
        const updated = await users.updateProfile(tx, id, { display_name: changes.display_name?.trim(), bio: changes.bio })
        if (!updated) throw userNotFound(`id ${id}`)
        const { updated_at, ...profile } = updated
        await enqueueEvents(tx, [createEvent('user.updated', 1, id, {
          user_id: id, username: profile.username, display_name: profile.display_name, bio: profile.bio, updated_at,
        })])
        return profile
      })
    },
  }
}
export type UserService = ReturnType<typeof createUserService>
