import { createEvent } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import { unusable, type MediaReplicaRepository } from '@starling/shared/replicas'
import type { PasswordHasher } from '../auth/password-hasher.ts'
import { errors } from '../errors.ts'
import type { ProfileUpdate, Taken, UserRepository } from './user.repository.ts'
import type { NewUser, PrivateProfile, ProfileChanges, PublicProfile } from './user.schemas.ts'

const TAKEN: Record<Taken, { field: string; code: 'USR_USERNAME_TAKEN' | 'USR_EMAIL_TAKEN' | 'USR_USERNAME_CONFUSABLE'; message: string }> = {
  username: { field: 'username', code: 'USR_USERNAME_TAKEN', message: 'is already taken' },
  email: { field: 'email', code: 'USR_EMAIL_TAKEN', message: 'is already registered' },
  username_skeleton: { field: 'username', code: 'USR_USERNAME_CONFUSABLE', message: 'reads the same as a username already taken' },
}

const userNotFound = (what: string) => errors.USR_NOT_FOUND(`No user has ${what}.`)

/** Seconds a client waits before asking again for a picture the media events have not marked ready here yet. */
const MEDIA_RETRY_SECONDS = 1

/**
 * Accounts and profiles. A registration and a profile change commit together with their event
 * (user.registered, user.updated), which the services that copy profiles consume.
 */
export function createUserService(deps: {
  uow: UnitOfWork<{ users: UserRepository }>
  users: UserRepository
  /** The copy of the uploads, for the picture a profile takes. */
  media: Pick<MediaReplicaRepository, 'get'>
  passwords: Pick<PasswordHasher, 'hash'>
}) {
  const { uow, users, media, passwords } = deps

  /** The picture `userId` asks for as their avatar, once found to be theirs and ready; null removes it. */
  async function avatar(userId: string, mediaId: string | null): Promise<ProfileUpdate['avatar']> {
    if (mediaId === null) return null
    const details = (message: string) => ({ errors: [{ field: 'avatar_media_id', message }] })
    const picture = await media.get(mediaId)
    switch (unusable(picture, userId)) {
      case 'missing': throw errors.USR_MEDIA_NOT_FOUND(`No picture has id ${mediaId}.`, details('no such picture'))
      case 'not_owner': throw errors.USR_MEDIA_NOT_OWNER(`Picture ${mediaId} is not yours.`, details('not yours'))
      case 'rejected': throw errors.USR_MEDIA_REJECTED(`Picture ${mediaId} was refused; see GET /media/${mediaId} for why.`, details('refused'))
      case 'pending': throw errors.USR_MEDIA_NOT_READY(`Picture ${mediaId} is still being processed; try again shortly.`, { ...details('not ready'), retryAfterSeconds: MEDIA_RETRY_SECONDS })
    }
    return { mediaId, url: picture!.attachment!.preview_url }
  }

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

    /** Changes display name, bio and/or profile picture. */
    async update(id: string, changes: ProfileChanges): Promise<PrivateProfile> {
      const picture = changes.avatar_media_id === undefined ? undefined : await avatar(id, changes.avatar_media_id)
      return uow.run(async ({ users }, events) => {
        const updated = await users.updateProfile(id, { display_name: changes.display_name?.trim(), bio: changes.bio, avatar: picture })
        if (!updated) throw userNotFound(`id ${id}`)
        const { updated_at, avatar_media_id, ...profile } = updated
        events.publish(createEvent('user.updated', 2, id, {
          user_id: id, username: profile.username, display_name: profile.display_name, bio: profile.bio,
          avatar_media_id, avatar_url: profile.avatar_url, updated_at,
        }))
        return profile
      })
    },
  }
}
export type UserService = ReturnType<typeof createUserService>
