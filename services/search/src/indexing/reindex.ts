import type { Client, estypes } from '@elastic/elasticsearch'
import type { Logger } from 'pino'
import { aliasTargets, createIndexRequest, ensureIndex, indexName, type IndexSpec } from '../indices.ts'

export interface ReindexResult {
  from: string | null
  to: string
  /** Documents written to the new index. */
  copied: number
  /** Documents the new index already had in a newer version (written by the indexer meanwhile). */
  newer: number
}

/** The number of the next index: one more than the highest `<alias>-v<n>` there is. */
async function nextIndex(client: Client, spec: IndexSpec) {
  const existing = await client.indices.get({ index: `${spec.alias}-v*`, expand_wildcards: 'all' })
  const numbers = Object.keys(existing).map((name) => Number(/-v(\d+)$/.exec(name)?.[1] ?? 0))
  return indexName(spec, Math.max(0, ...numbers) + 1)
}

/**
 * Copies the documents of `from` that `query` selects into `to` with their versions: external_gte
 * keeps whatever the indexer already wrote to `to` in a newer version. Only the fields the new
 * mapping knows are read.
 */
async function copy(client: Client, spec: IndexSpec, from: string, to: string, query: estypes.QueryDslQueryContainer, options: { batch: number; logger: Logger }) {
  const pit = await client.openPointInTime({ index: from, keep_alive: '2m' })
  let pitId = pit.id
  let after: estypes.SortResults | undefined
  let copied = 0
  let newer = 0
  try {
    for (;;) {
      const page = await client.search({
        pit: { id: pitId, keep_alive: '2m' },
        query,
        size: options.batch,
        version: true,
        _source: Object.keys(spec.mappings.properties),
        sort: [{ _shard_doc: 'asc' }],
        ...(after ? { search_after: after } : {}),
        track_total_hits: false,
      })
      pitId = page.pit_id ?? pitId
      const hits = page.hits.hits
      if (hits.length === 0) break
      const response = await client.bulk({
        operations: hits.flatMap((hit) => [
          { index: { _index: to, _id: hit._id!, version: hit._version!, version_type: 'external_gte' as const } },
          hit._source as object,
        ]),
      })
      for (const item of response.items) {
        const result = item.index!
        if (result.status < 300) copied++
        else if (result.status === 409) newer++
        else throw new Error(`copying ${result._id} into ${to} failed with ${result.status}: ${result.error?.type}: ${result.error?.reason}`)
      }
      after = hits.at(-1)!.sort
      options.logger.info({ index: to, copied, newer }, 'copying')
    }
  } finally {
    await client.closePointInTime({ id: pitId }).catch(() => undefined)
  }
  return { copied, newer }
}

/**
 * The lowest local checkpoint of the index's shards: every write with a sequence number up to it
 * is done, so after a refresh it is visible, and any write a copy started afterwards misses has a
 * higher sequence number.
 */
async function checkpoint(client: Client, index: string): Promise<number> {
  const stats = await client.indices.stats({ index, level: 'shards' })
  const shards = Object.values(stats.indices?.[index]?.shards ?? {}).flat() as { seq_no?: { local_checkpoint: number } }[]
  return Math.min(...shards.map((shard) => shard.seq_no?.local_checkpoint ?? -1))
}

/**
 * Rebuilds the index of `spec` from scratch with its current settings and mapping, without
 * downtime:
 * 1. creates the next numbered index and copies the old one into it while search and the indexer
 *    still use the old one;
 * 2. moves the write alias to the new index and sets a write block on the old one, which waits for
 *    writes in flight and turns later ones into retried failures (they reach the new index through
 *    the alias);
 * 3. copies what changed during step 1 (by sequence number), then swaps the read alias in one
 *    `_aliases` call. Search reads the old index until then: only writes made during step 3 wait
 *    for the swap to become searchable.
 * Documents keep their versions, so a copy never overwrites a newer write. The old index stays,
 * write-blocked, for a rollback; older ones are deleted. Run again after a failure, it resumes.
 */
export async function reindex(client: Client, spec: IndexSpec, options: { batch: number; logger: Logger }): Promise<ReindexResult> {
  const { logger } = options
  const sources = await aliasTargets(client, spec.alias)
  if (sources.length === 0) {
    await ensureIndex(client, spec, logger)
    const [created] = await aliasTargets(client, spec.alias)
    return { from: null, to: created!, copied: 0, newer: 0 }
  }
  if (sources.length > 1) throw new Error(`${spec.alias} points at ${sources.join(', ')}; leave it one index first`)
  const from = sources[0]!
  const [writing] = await aliasTargets(client, spec.writeAlias)
  const totals = { copied: 0, newer: 0 }
  const add = (result: { copied: number; newer: number }) => {
    totals.copied += result.copied
    totals.newer += result.newer
  }

  let to: string
  // Copied by the second pass: everything, when resuming; otherwise what changed since the first.
  let changedSince = -1
  if (writing && writing !== from) {
    to = writing
    logger.info({ from, to }, 'resuming an unfinished reindex')
  } else {
    to = await nextIndex(client, spec)
    await client.indices.create(createIndexRequest(spec, to))
    changedSince = await checkpoint(client, from)
    await client.indices.refresh({ index: from })
    add(await copy(client, spec, from, to, { match_all: {} }, options))
    await client.indices.updateAliases({
      actions: [
        ...(writing ? [{ remove: { index: writing, alias: spec.writeAlias } }] : []),
        { add: { index: to, alias: spec.writeAlias, is_write_index: true } },
      ],
    })
    logger.info({ from, to }, 'writes go to the new index')
  }
  await client.indices.addBlock({ index: from, block: 'write' })
  await client.indices.refresh({ index: from })
  add(await copy(client, spec, from, to, { range: { _seq_no: { gt: changedSince } } }, options))
  await client.indices.refresh({ index: to })
  await client.indices.updateAliases({
    actions: [{ remove: { index: from, alias: spec.alias } }, { add: { index: to, alias: spec.alias } }],
  })
  logger.info({ from, to, ...totals }, 'search reads the new index')

  const all = Object.keys(await client.indices.get({ index: `${spec.alias}-v*`, expand_wildcards: 'all' }))
  const stale = all.filter((name) => name !== from && name !== to)
  if (stale.length > 0) await client.indices.delete({ index: stale })
  return { from, to, ...totals }
}
