import { testEnv } from './env.ts'

/** A response with its JSON body read (null when there is none), for assertions. */
export interface JsonResponse {
  status: number
  headers: Headers
  // JSON as the client sees it: the assertions give it its shape.
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function readJson(response: Response): Promise<JsonResponse> {
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: parseOrText(text) }
}

export function parseOrText(text: string): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A request through the gateway; `body` objects are sent as JSON. */
export async function gateway(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string } = {}) {
  const headers: Record<string, string> = { ...init.headers }
  let body: string | undefined
  if (typeof init.body === 'string') body = init.body
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body)
    headers['content-type'] ??= 'application/json'
  }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  return readJson(await fetch(`${testEnv.gatewayUrl}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) }))
}
