// The API through the same origin (the gateway): JSON in, JSON or problem+json out.

export interface UserRef { id: string; username: string; display_name: string; avatar_url: string | null }
export interface MediaAttachment { id: string; url: string; preview_url: string; width: number; height: number; alt_text: string }
export interface Media {
  id: string
  state: 'pending' | 'ready' | 'rejected'
  content_type: string
  alt_text: string
  reason?: string
  url?: string
  preview_url?: string
  width?: number
  height?: number
}
export interface Profile extends UserRef { bio: string; created_at: string; followers_count: number; following_count: number; tweets_count: number }
export interface Tweet {
  id: string
  text: string
  created_at: string
  author: UserRef
  conversation_id: string
  reply_to_id: string | null
  quote_of_id: string | null
  mentions: { user_id: string; username: string }[]
  hashtags: string[]
  media: MediaAttachment[]
  like_count: number
  retweet_count: number
  reply_count: number
  viewer?: { liked: boolean; retweeted: boolean }
  retweeted_by?: UserRef | null
}
export interface Page<T> { items: T[]; next_cursor: string | null }
export interface Session { access_token: string; expires_in: number; refresh_token: string; user: Profile }
export interface Relationship { id: string; following: boolean; followed_by: boolean; blocking: boolean; blocked_by: boolean; muting: boolean }
export interface Notification {
  id: string
  type: 'follow' | 'like' | 'retweet' | 'reply' | 'mention' | 'message'
  actor: UserRef
  tweet_id?: string
  conversation_id?: string
  created_at: string
  read: boolean
}
export interface Message { id: string; conversation_id: string; sender_id: string; recipient_id: string; text: string; created_at: string }
export interface Conversation { id: string; other: UserRef; last_message: Message; unread_count: number }
export interface Hashtag { tag: string; count: number }

/** RFC 9457 problem details, as every Starling error (the gateway's own too) is answered. */
export interface Problem { title: string; status: number; code: string; detail?: string; errors?: { field: string; message: string }[] }

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title)
  }
  get code() { return this.problem.code }
  get status() { return this.problem.status }
  /** The message for one field of a form, when the server named it. */
  field(name: string) { return this.problem.errors?.find((e) => e.field === name || e.field.endsWith(`/${name}`))?.message }
}

const UNREACHABLE: Problem = { title: 'Starling cannot be reached', status: 0, code: 'NETWORK', detail: 'Starling cannot be reached right now. Check your connection and try again.' }

export interface RequestOptions {
  body?: unknown
  token?: string
  headers?: Record<string, string>
}

/** One request; a failure is an ApiError carrying the server's problem (or one saying the network failed). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), credentials: 'omit' })
  } catch {
    throw new ApiError(UNREACHABLE)
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (!response.ok) {
    const problem = parsed as Partial<Problem> | undefined
    throw new ApiError({
      title: problem?.title ?? response.statusText,
      status: response.status,
      code: problem?.code ?? `HTTP_${response.status}`,
      detail: problem?.detail ?? `The server answered ${response.status}.`,
      errors: problem?.errors,
    })
  }
  return parsed as T
}

/** A readable sentence for any failure. */
export const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : 'Something went wrong. Try again.')
