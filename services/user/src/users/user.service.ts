import { conflict, createEvent, enqueueEvents, uniqueViolation, withTransaction } from '@starling/shared'
import type { Pool } from 'pg'
import type { PasswordHasher } from './password-hasher.ts'
import type { UserRepository } from './user.repository.ts'
import type { NewUser, PublicProfile } from './user.schemas.ts'

const CONFLICTS: Record<string, { field: string; code: string; message: string }> = {
  users_username_key: { field: 'username', code: 'USR_USERNAME_TAKEN', message: 'is already taken' },
  users_email_key: { field: 'email', code: 'USR_EMAIL_TAKEN', message: 'is already registered' },
}

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
  }
}
export type UserService = ReturnType<typeof createUserService>
