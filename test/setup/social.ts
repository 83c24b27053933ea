import { expect } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import type { Account } from './accounts.ts'
import { gateway, type JsonResponse } from './http.ts'

export async function post(author: Account, text: string, extra: Record<string, unknown> = {}) {
  const response = await gateway('/tweets/', { token: author.token, body: { text, ...extra } })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body as { id: string; text: string }
}

export async function follow(who: Account, whom: Account) {
  const response = await gateway('/follow/', { token: who.token, body: { user_id: whom.id } })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
}

type Request = (path: string, init: { token?: string }) => Promise<JsonResponse>

/**
 * Reads of home timelines over `request`: the gateway's (the default), or a service test's
 * serviceUnderTest(...).request, which answers the same way.
 */
export function timelineReads(request: Request = gateway) {
  const timeline = (reader: Account, query = '') => request(`/timelines/${reader.id}${query}`, { token: reader.token })

  /** Ids of the reader's home timeline, first page. */
  async function timelineIds(reader: Account, limit = 100) {
    const page = await timeline(reader, `?limit=${limit}`)
    expect(page.status, JSON.stringify(page.body)).toBe(200)
    return page.body.items.map((item: { id: string }) => item.id) as string[]
  }

  /** Waits until the reader's timeline (first page) satisfies `check`. */
  function untilTimeline(reader: Account, check: (ids: string[]) => boolean, what: string, timeoutMs = 20_000) {
    return waitFor(async () => {
      const ids = await timelineIds(reader)
      return check(ids) ? ids : undefined
    }, { timeoutMs, what })
  }

  /** Every page of the reader's timeline, following next_cursor. */
  async function allPages(reader: Account, limit: number) {
    const pages: string[][] = []
    let cursor: string | null = null
    do {
      const page = await timeline(reader, `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(page.status).toBe(200)
      pages.push(page.body.items.map((item: { id: string }) => item.id))
      cursor = page.body.next_cursor
    } while (cursor && pages.length < 50)
    return pages
  }

  return { timeline, timelineIds, untilTimeline, allPages }
}

export const { timeline, timelineIds, untilTimeline, allPages } = timelineReads()
