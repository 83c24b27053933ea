import { AppError } from '@starling/shared'
import type { UserRepository } from './user.repository.ts'
import { isUserId } from './user.schemas.ts'

const RETRY_AFTER_SECONDS = 5

const unavailable = (cause: unknown) => new AppError(503, 'FLW_USER_SERVICE_UNAVAILABLE', 'Service Unavailable', {
  detail: 'Cannot tell whether that user exists right now; try again shortly.',
  headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  cause,
})

/**
 * Answers "does this account exist?" from the replica. The replica trails registration by a
 * moment, so an id it does not know is looked up once at the user service and remembered.
 */
export function createUserDirectory(deps: { users: UserRepository; userServiceUrl: string; timeoutMs: number; fetch?: typeof fetch }) {
  const { users, userServiceUrl, timeoutMs, fetch: fetchFn = fetch } = deps

  async function lookUp(id: string) {
    let response: Response
    try {
      response = await fetchFn(new URL(`/users/${id}`, userServiceUrl), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
    } catch (error) {
      throw unavailable(error)
    }
    if (response.status === 404) return undefined
    if (!response.ok) throw unavailable(new Error(`GET /users/${id} answered ${response.status}`))
    return await response.json() as { id: string; username: string; display_name: string; created_at: string }
  }

  return {
    async exists(id: string): Promise<boolean> {
      if (!isUserId(id)) return false
      if (await users.exists(id)) return true
      const profile = await lookUp(id)
      if (!profile) return false
      // Versioned as of registration: any user.updated event still on its way is newer and wins.
      await users.insertIfMissing({ id, username: profile.username, display_name: profile.display_name, updated_at: profile.created_at })
      return true
    },
  }
}
export type UserDirectory = ReturnType<typeof createUserDirectory>
