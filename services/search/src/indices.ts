import { setTimeout as sleep } from 'node:timers/promises'
import type { Client } from '@elastic/elasticsearch'
import { isTransientError } from '@starling/shared/events'
import type { Logger } from 'pino'

/**
 * Each index is read through one alias (`starling-tweets`) and written through another
 * (`starling-tweets-write`), both pointing at a numbered index (`starling-tweets-v1`). A reindex
 * moves the write alias to the next index first and the read alias once the copy is done, so
 * search keeps answering throughout and no write is lost (see reindex.ts).
 */
export interface IndexSpec {
  /** What `npm run reindex -- <name>` takes. */
  name: string
  alias: string
  writeAlias: string
  /** Version of the mapping below; kept in the index's `_meta`. Bump it when the mapping changes. */
  version: number
  settings: { number_of_shards: number; number_of_replicas: number; refresh_interval: string }
  mappings: { dynamic: 'strict'; properties: Record<string, unknown> }
}

const keyword = { type: 'keyword' }

/**
 * One shard: hashtag counts are exact aggregations then, and the data of one node fits one shard.
 * refresh_interval is set explicitly, so an idle shard still refreshes. A refresh every 250 ms
 * (the default) rather than Elasticsearch's 1 s keeps search freshness under a second; each
 * refresh that found writes opens a small segment that merges later, which costs indexing CPU
 * (README, "Search freshness").
 */
export function indexSpecs(prefix: string, options: { refreshMs: number; replicas?: number }) {
  const settings = { number_of_shards: 1, number_of_replicas: options.replicas ?? 0, refresh_interval: `${options.refreshMs}ms` }
  const spec = (name: string, version: number, properties: Record<string, unknown>): IndexSpec => {
    const alias = `${prefix}-${name}`
    return { name, alias, writeAlias: `${alias}-write`, version, settings, mappings: { dynamic: 'strict', properties } }
  }
  return {
    // v2: without created_at, so user.updated (which does not carry it) writes the whole document.
    // v3: avatar_url, for user.updated v2 (a field added, so an older index takes it in place).
    users: spec('users', 3, {
      user_id: keyword,
      username: keyword,
      // Lower-cased by the indexer: prefix and exact matches ignore case.
      username_lower: keyword,
      display_name: { type: 'text' },
      // Returned with the account, never searched.
      avatar_url: { type: 'keyword', index: false },
    }),
    // v2: media, for tweet.created v2 (a field added, so an older index takes it in place).
    tweets: spec('tweets', 2, {
      tweet_id: keyword,
      author_id: keyword,
      // The standard analyzer: this Elasticsearch has no language analyzers (README, "Elasticsearch here").
      text: { type: 'text' },
      hashtags: keyword,
      // Returned with the tweet, never searched.
      mentions: { type: 'object', enabled: false },
      media: { type: 'object', enabled: false },
      conversation_id: keyword,
      reply_to_id: keyword,
      quote_of_id: keyword,
      created_at: { type: 'date' },
      // A deleted tweet stays as a tombstone, so a redelivered tweet.created cannot bring it back.
      deleted: { type: 'boolean' },
      deleted_at: { type: 'date' },
    }),
    // Like and retweet counts, one document per tweet and kind: each moves by its own events' order.
    counts: spec('counts', 1, {
      tweet_id: keyword,
      kind: keyword,
      count: { type: 'integer' },
    }),
    // Blocks and mutes (target: a user), likes and retweets (target: a tweet), one document per
    // (kind, actor, target); removed ones stay with active: false.
    relations: spec('relations', 1, {
      kind: keyword,
      actor_id: keyword,
      target_id: keyword,
      active: { type: 'boolean' },
    }),
  } satisfies Record<string, IndexSpec>
}
export type IndexSpecs = ReturnType<typeof indexSpecs>

export const indexName = (spec: IndexSpec, n: number) => `${spec.alias}-v${n}`

/** The concrete indices an alias points at; empty when the alias does not exist. */
export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  const rows = await client.cat.aliases({ name: alias, format: 'json' })
  return rows.map((row) => row.index!).filter(Boolean)
}

/** The body that creates a concrete index for `spec`. */
export const createIndexRequest = (spec: IndexSpec, index: string) => ({
  index,
  settings: spec.settings,
  mappings: { ...spec.mappings, _meta: { mapping_version: spec.version } } as never,
})

/** Creates an index, unless another process (the second worker of a clustered stack, starting too) just did. */
async function createUnlessMade(client: Client, request: ReturnType<typeof createIndexRequest>) {
  try {
    await client.indices.create(request)
  } catch (error) {
    if ((error as { body?: { error?: { type?: string } } }).body?.error?.type !== 'resource_already_exists_exception') throw error
  }
}

/**
 * Creates the index and its two aliases when missing; leaves existing ones alone, and says when
 * one was built with an older mapping (then `npm run reindex -- <name>` moves it to the new one).
 */
export async function ensureIndex(client: Client, spec: IndexSpec, logger?: Logger) {
  const [current] = await aliasTargets(client, spec.alias)
  if (!current) {
    const index = indexName(spec, 1)
    if (!(await client.indices.exists({ index }))) await createUnlessMade(client, createIndexRequest(spec, index))
    await client.indices.updateAliases({
      actions: [{ add: { index, alias: spec.alias } }, { add: { index, alias: spec.writeAlias, is_write_index: true } }],
    })
    return
  }
  // Indices made before writes went through their own alias.
  if ((await aliasTargets(client, spec.writeAlias)).length === 0) {
    await client.indices.putAlias({ index: current, name: spec.writeAlias, is_write_index: true })
  }
  // Dynamic settings: an index made under another refresh interval or replica count takes the configured ones.
  const wanted: Record<string, string> = { 'index.refresh_interval': spec.settings.refresh_interval, 'index.number_of_replicas': String(spec.settings.number_of_replicas) }
  const { [current]: existing } = await client.indices.getSettings({ index: current, name: Object.keys(wanted), flat_settings: true })
  const has = (existing?.settings ?? {}) as Record<string, unknown>
  const changed = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => String(has[name]) !== value))
  if (Object.keys(changed).length > 0) await client.indices.putSettings({ index: current, settings: changed })
  const mapping = await client.indices.getMapping({ index: current })
  const version = Number(mapping[current]?.mappings._meta?.mapping_version ?? 1)
  if (version < spec.version) {
    // A mapping that only adds fields applies to the index as it is; one that changes a field needs a new index.
    try {
      await client.indices.putMapping({ index: current, properties: spec.mappings.properties as never, _meta: { mapping_version: spec.version } })
      logger?.info({ index: current, version, wanted: spec.version }, 'index mapping extended in place')
    } catch (error) {
      logger?.warn({ index: current, version, wanted: spec.version, reason: (error as Error).message }, `index has an older mapping; run \`npm run reindex -- ${spec.name}\``)
    }
  }
}

export async function ensureIndices(client: Client, specs: IndexSpecs, logger?: Logger) {
  for (const spec of Object.values(specs)) await ensureIndex(client, spec, logger)
}

/**
 * ensureIndices, waiting for Elasticsearch when it is not there yet (as the consumers do), until
 * `signal` aborts: a worker started before Elasticsearch waits for it rather than failing.
 */
export async function ensureIndicesWhenReachable(client: Client, specs: IndexSpecs, options: { logger: Logger; signal: AbortSignal }) {
  for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
    try {
      return await ensureIndices(client, specs, options.logger)
    } catch (error) {
      if (!isTransientError(error) || options.signal.aborted) throw error
      options.logger.warn({ err: error }, 'Elasticsearch unreachable; creating the indices once it is back')
      await sleep(wait, undefined, { signal: options.signal })
    }
  }
}

/** For readiness: the read aliases exist once the worker created the indices; searching before that would only fail. */
export async function assertIndicesExist(client: Client, specs: IndexSpecs) {
  if (!(await client.indices.existsAlias({ name: Object.values(specs).map((spec) => spec.alias) }))) throw new Error('search indices missing')
}
