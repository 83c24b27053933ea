import type { FastifyInstance } from 'fastify'
import { afterAll } from 'vitest'
import { parseOrText, type JsonResponse } from './http.ts'

/**
 * The environment the stack starts a service with (scripts/test-run.ts), for a service test that
 * composes the service in the test process against the same servers.
 */
export function stackServiceEnv(service: string): Record<string, string | undefined> {
  const all = process.env.STARLING_SERVICE_ENVS
  if (!all) throw new Error('STARLING_SERVICE_ENVS is not set: run the tests with `npm test`, which starts the stack and sets it')
  const env = (JSON.parse(all) as Record<string, Record<string, string>>)[service]
  if (!env) throw new Error(`the stack has no service ${service}`)
  return env
}

export interface RequestInit {
  method?: string
  body?: unknown
  headers?: Record<string, string>
  token?: string
}

/**
 * A service under test: its app, built in this process and driven with app.inject (no socket, no
 * gateway), closed after the file's tests. `request` takes what test/setup/http.ts's gateway()
 * takes and answers as it does.
 */
export async function serviceUnderTest(build: () => Promise<FastifyInstance>) {
  const app = await build()
  await app.ready()
  afterAll(() => app.close())
  async function request(path: string, init: RequestInit = {}): Promise<JsonResponse> {
    const headers: Record<string, string> = { ...init.headers }
    let payload: string | undefined
    if (typeof init.body === 'string') payload = init.body
    else if (init.body !== undefined) {
      payload = JSON.stringify(init.body)
      headers['content-type'] ??= 'application/json'
    }
    if (init.token) headers.authorization = `Bearer ${init.token}`
    const method = (init.method ?? (payload === undefined ? 'GET' : 'POST')) as 'GET'
    const response = await app.inject({ method, url: path, headers, ...(payload === undefined ? {} : { payload }) })
    const responseHeaders = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) responseHeaders.append(name, String(one))
    }
    return { status: response.statusCode, headers: responseHeaders, body: parseOrText(response.body) }
  }
  return { app, request }
}
