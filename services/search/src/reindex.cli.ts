// `npm run reindex -- <tweets|users|counts|relations|all>`: rebuilds indices with the current
// mappings while search keeps answering (see indexing/reindex.ts).
import { createLogger } from '@starling/shared/logging'
import { composeIndices } from './compose.ts'
import { loadReindexConfig } from './config.ts'
import { reindex } from './indexing/reindex.ts'

const config = loadReindexConfig()
const logger = createLogger('search-reindex', config.LOG_LEVEL)
const { elastic, indices: specs } = composeIndices(config)
const names = Object.keys(specs) as (keyof typeof specs)[]
const wanted = process.argv.slice(2)
if (wanted.length === 0 || wanted.some((name) => name !== 'all' && !names.includes(name as keyof typeof specs))) {
  logger.error(`usage: npm run reindex -- <${[...names, 'all'].join('|')}>...`)
  process.exit(2)
}

try {
  for (const name of wanted.includes('all') ? names : (wanted as typeof names)) {
    const result = await reindex(elastic, specs[name], { batch: config.SEARCH_REINDEX_BATCH, logger })
    logger.info(result, `${name} reindexed`)
  }
} finally {
  await elastic.close()
}
