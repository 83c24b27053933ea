import { ElasticsearchEnv, HttpEnv, KafkaEnv, loadConfig, Port } from '@starling/shared'
import Type from 'typebox'

export const SearchConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...ElasticsearchEnv,
  PORT: Port(3005),
  SEARCH_INDEX_PREFIX: Type.String({ pattern: '^[a-z0-9-]{1,40}$', default: 'starling', description: 'index and alias names start with it' }),
  WORKER_ENABLED: Type.Boolean({ default: true, description: 'run the Kafka indexer in this process' }),
})
export type SearchConfig = Type.Static<typeof SearchConfigSchema>

export const loadSearchConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(SearchConfigSchema, env)
