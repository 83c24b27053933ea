// `npm run reindex -- <tweets|users|counts|relations|all>`: rebuilds indices with the current
// mappings while search keeps answering (see indexing/reindex.ts).
import { Client } from '@elastic/elasticsearch'
import { createLogger } from '@starling/shared/logging'
import { elasticsearchClientOptions, loadReindexConfig } from './config.ts'
import { indexSpecs } from './indices.ts'
import { reindex } from './indexing/reindex.ts'

const config = loadReindexConfig()
const logger = createLogger('search-reindex', config.LOG_LEVEL)
const specs = indexSpecs(config.SEARCH_INDEX_PREFIX)
const names = Object.keys(specs) as (keyof typeof specs)[]
const wanted = process.argv.slice(2)
if (wanted.length === 0 || wanted.some((name) => name !== 'all' && !names.includes(name as keyof typeof specs))) {
  logger.error(`usage: npm run reindex -- <${[...names, 'all'].join('|')}>...`)
  process.exit(2)
}

const client = new Client(elasticsearchClientOptions(config.ELASTICSEARCH_URL))
try {
  for (const name of wanted.includes('all') ? names : (wanted as typeof names)) {
    const result = await reindex(client, specs[name], { batch: config.SEARCH_REINDEX_BATCH, logger })
    logger.info(result, `${name} reindexed`)
  }
} finally {
  await client.close()
}
