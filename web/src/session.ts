import { signal } from '@preact/signals'
import { ApiError, request, type Profile, type RequestOptions, type Session } from './api.ts'
import { navigate } from './router.tsx'

// Tokens stay out of URLs. The access token lives in memory only. The refresh token is kept in
// sessionStorage, so a reload keeps you signed in while the tab lives, and a tab refreshes only its
// own login: refresh tokens rotate, and two tabs sharing one would spend it twice, which the user
// service treats as theft and ends the login. The strict CSP (scripts from this origin only) is
// what guards both from injected script.
const REFRESH_KEY = 'starling.refresh'
/** Refresh this long before the access token expires. */
const EARLY_MS = 60_000

export const me = signal<Profile | null>(null)
/** Why the last session ended, shown on the sign-in page (a refresh that failed, a sign-out elsewhere). */
export const endedBecause = signal<string | null>(null)
/** A new access token: the live socket renews its own with it. */
export const tokenListeners = new Set<(token: string) => void>()

let access: { token: string; expiresAt: number } | null = null
let refreshing: Promise<string | undefined> | null = null
let timer: ReturnType<typeof setTimeout> | undefined

function adopt(session: Session) {
  access = { token: session.access_token, expiresAt: Date.now() + session.expires_in * 1000 }
  sessionStorage.setItem(REFRESH_KEY, session.refresh_token)
  me.value = session.user
  endedBecause.value = null
  clearTimeout(timer)
  timer = setTimeout(() => void refresh(), Math.max(5_000, session.expires_in * 1000 - EARLY_MS))
  for (const listener of tokenListeners) listener(session.access_token)
}

/** Ends the session here and returns to sign-in; drafts are kept (they live apart, see compose). */
export function end(reason: string | null) {
  clearTimeout(timer)
  access = null
  sessionStorage.removeItem(REFRESH_KEY)
  me.value = null
  endedBecause.value = reason
  if (!['/signin', '/signup'].includes(location.pathname)) navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true })
}

function refresh(): Promise<string | undefined> {
  refreshing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY)
    if (!refreshToken) return undefined
    try {
      adopt(await request<Session>('POST', '/users/refresh', { body: { refresh_token: refreshToken } }))
      return access!.token
    } catch (error) {
      // The network or a service away: keep the login and try again soon. Anything else ends it.
      if (error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 429)) {
        clearTimeout(timer)
        timer = setTimeout(() => void refresh(), 10_000)
        return access && access.expiresAt > Date.now() ? access.token : undefined
      }
      end('Your session has ended. Sign in again; anything you were writing is kept.')
      return undefined
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

/** A valid access token, refreshed first if it is about to expire. */
export async function accessToken(): Promise<string | undefined> {
  if (access && access.expiresAt - Date.now() > 10_000) return access.token
  return refresh()
}

/** A request as the signed-in user; an expired or revoked token is refreshed once and retried. */
export async function api<T>(method: string, path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
  const token = await accessToken()
  try {
    return await request<T>(method, path, { ...options, token })
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !token) throw error
    if (error.code === 'AUTH_TOKEN_REVOKED') {
      end('You were signed out. Sign in again.')
      throw error
    }
    access = null
    const fresh = await refresh()
    if (!fresh) throw error
    return request<T>(method, path, { ...options, token: fresh })
  }
}

export async function signIn(username: string, password: string) {
  adopt(await request<Session>('POST', '/users/login', { body: { username, password } }))
}

export async function signUp(fields: { username: string; email: string; password: string; display_name?: string }) {
  await request('POST', '/users/register', { body: fields })
  await signIn(fields.username, fields.password)
}

export async function signOut() {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY)
  if (refreshToken) await request('POST', '/users/logout', { body: { refresh_token: refreshToken } }).catch(() => {})
  end(null)
}

/** After a reload: the tab's login, if it still has one. */
export async function restore() {
  if (sessionStorage.getItem(REFRESH_KEY)) await refresh()
}
