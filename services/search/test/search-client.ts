import { randomUUID } from 'node:crypto'
import { topics } from '@starling/shared/events'
import { waitFor } from '@starling/shared/testing'
import type { Account } from '../../../test/setup/accounts.ts'
import { allPublished, groupCaughtUp } from '../../../test/setup/kafka.ts'
import type { JsonResponse } from '../../../test/setup/http.ts'
import { searchService } from './fixtures/service.ts'

/** A word no other tweet has, so each test finds only its own tweets. */
export const uniqueWord = (prefix = 'w') => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 12)}`

/** GET /search/ of the search service, as `viewer` when given. */
export function search(params: Record<string, string | number | boolean>, viewer?: Account): Promise<JsonResponse> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))
  return searchService.request(`/search/?${query}`, viewer ? { token: viewer.token } : {})
}

/** Ids of the first page of results (tweets and users have ids). */
export async function searchIds(params: Record<string, string | number | boolean>, viewer?: Account): Promise<string[]> {
  const response = await search(params, viewer)
  if (response.status !== 200) throw new Error(`search answered ${response.status}: ${JSON.stringify(response.body)}`)
  return response.body.items.map((item: { id: string }) => item.id)
}

/** Waits until the first page of results satisfies `check`; returns the page's body. */
export function untilSearch(params: Record<string, string | number | boolean>, check: (ids: string[]) => boolean,
  what: string, options: { viewer?: Account; timeoutMs?: number } = {}) {
  return waitFor(async () => {
    const response = await search(params, options.viewer)
    if (response.status !== 200) return undefined
    return check(response.body.items.map((item: { id: string }) => item.id)) ? response.body : undefined
  }, { timeoutMs: options.timeoutMs ?? 15_000, what })
}

const INDEXED = [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name]

/** Resolves once the search indexer has committed everything on its topics (then a refresh shows it). */
export const indexerCaughtUp = async () => {
  await allPublished()
  await groupCaughtUp('search-indexer', INDEXED)
}
