// A small client of the API for building worlds (npm run seed, npm run bench): the calls a user
// makes, through the gateway or straight to each service, retried when the gateway or a service
// asks to slow down (429, 503 + Retry-After).
import { setTimeout as sleep } from 'node:timers/promises'

export interface Account {
  id: string
  username: string
  password: string
  token: string
}

export class ApiError extends Error {
  readonly status: number
  constructor(status: number, what: string, body: string) {
    super(`${what}: ${status} ${body.slice(0, 300)}`)
    this.status = status
  }
}

const RETRIES = 8

/** The services the client's calls reach, each through the gateway's route for it. */
export type ServiceName = 'user' | 'tweet' | 'follower' | 'timeline'

/** The service the gateway sends each of the client's paths to (nginx/nginx.conf.template). */
export function serviceOf(path: string): ServiceName {
  if (/^\/users\/[0-9]+\/tweets\/?(\?|$)/.test(path)) return 'tweet'
  if (path.startsWith('/users/')) return 'user'
  if (path.startsWith('/tweets')) return 'tweet'
  if (/^\/(follow|unfollow|followers|following)(\/|$)/.test(path)) return 'follower'
  if (path.startsWith('/timelines/')) return 'timeline'
  throw new Error(`no service for ${path} in the world client's routes`)
}

/**
 * `target` is the gateway's URL, or each service's own (the stack's host only): calls that skip
 * the gateway skip every rate limit too (shared/src/http/rate-limit.plugin.ts).
 */
export function createClient(target: string | Record<ServiceName, string>) {
  const urlOf = (path: string) => `${typeof target === 'string' ? target : target[serviceOf(path)]}${path}`
  async function call<T>(method: string, path: string, options: { token?: string; body?: unknown; expect?: number } = {}): Promise<T> {
    const headers: Record<string, string> = {}
    if (options.token) headers.authorization = `Bearer ${options.token}`
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(urlOf(path), { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) })
      const text = await response.text()
      if (response.status === (options.expect ?? 200)) return (text ? JSON.parse(text) : null) as T
      const retriable = response.status === 429 || response.status === 503
      if (!retriable || attempt === RETRIES) throw new ApiError(response.status, `${method} ${path}`, text)
      const after = Number(response.headers.get('retry-after'))
      await sleep(Math.min(5000, (after > 0 ? after * 1000 : 100) * attempt))
    }
  }

  return {
    call,
    async register(username: string, password: string, displayName?: string) {
      const body = { username, email: `${username.toLowerCase()}@example.com`, password, ...(displayName ? { display_name: displayName } : {}) }
      return call<{ id: string }>('POST', '/users/register', { body, expect: 201 })
    },
    async login(username: string, password: string) {
      return call<{ access_token: string; user: { id: string } }>('POST', '/users/login', { body: { username, password } })
    },
    /** Registers and logs in. */
    async signUp(username: string, password: string, displayName?: string): Promise<Account> {
      const { id } = await this.register(username, password, displayName)
      const { access_token } = await this.login(username, password)
      return { id, username, password, token: access_token }
    },
    follow: (who: Account, whom: string) => call('POST', '/follow/', { token: who.token, body: { user_id: whom } }),
    post: (author: Account, text: string) => call<{ id: string; created_at: string }>('POST', '/tweets/', { token: author.token, body: { text }, expect: 201 }),
    like: (who: Account, tweetId: string) => call('POST', `/tweets/${tweetId}/like`, { token: who.token }),
    timeline: (reader: Account, limit = 20) => call<{ items: { id: string; author: { id: string; username: string } }[] }>('GET', `/timelines/${reader.id}?limit=${limit}`, { token: reader.token }),
    profile: (userId: string) => call<{ followers_count: number; following_count: number; tweets_count: number }>('GET', `/users/${userId}`),
  }
}
export type Client = ReturnType<typeof createClient>

/** Runs `work` over `items`, `width` at a time, in order of start; returns the results in item order. */
export async function mapLimit<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker))
  return results
}

/** A run-unique prefix for usernames, so a world can be built again next to the last one. */
export const runId = () => Date.now().toString(36).slice(-6)
