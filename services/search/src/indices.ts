import type { Client } from '@elastic/elasticsearch'

/**
 * Each index is reached through an alias (`starling-users`) pointing at a versioned index
 * (`starling-users-v1`), so a reindex can build the next version and swap the alias.
 */
export interface IndexSpec {
  alias: string
  version: number
  settings: Record<string, unknown>
  mappings: Record<string, unknown>
}

export function indexSpecs(prefix: string) {
  return {
    users: {
      alias: `${prefix}-users`,
      version: 1,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: {
        dynamic: 'strict',
        properties: {
          user_id: { type: 'keyword' },
          username: { type: 'keyword' },
          // Lower-cased by the indexer: prefix and exact matches ignore case.
          username_lower: { type: 'keyword' },
          display_name: { type: 'text' },
          created_at: { type: 'date' },
        },
      },
    },
  } satisfies Record<string, IndexSpec>
}
export type IndexSpecs = ReturnType<typeof indexSpecs>

/** Creates each versioned index and its alias when missing; leaves existing ones alone. */
export async function ensureIndices(client: Client, specs: IndexSpecs) {
  for (const spec of Object.values(specs)) {
    if (await client.indices.existsAlias({ name: spec.alias })) continue
    const index = `${spec.alias}-v${spec.version}`
    if (!(await client.indices.exists({ index }))) {
      await client.indices.create({ index, settings: spec.settings, mappings: spec.mappings as never })
    }
    await client.indices.putAlias({ index, name: spec.alias })
  }
}
