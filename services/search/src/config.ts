import { JwtVerifyEnv } from '@starling/shared/auth'
import { ElasticsearchEnv, HttpEnv, KafkaEnv, loadConfig, Port } from '@starling/shared/config'
import { partitionsOf, topics } from '@starling/shared/events'
import Type from 'typebox'

/** What the search indexer reads. */
export const INDEXED_TOPICS = [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name]

const IndexEnv = {
  ...ElasticsearchEnv,
  SEARCH_INDEX_PREFIX: Type.String({ pattern: '^[a-z0-9-]{1,40}$', default: 'starling', description: 'index and alias names start with it' }),
  SEARCH_INDEX_REPLICAS: Type.Integer({ minimum: 0, maximum: 5, default: 0, description: 'copies of each shard on other nodes: 1 or more lets the cluster lose a node' }),
  SEARCH_REFRESH_MS: Type.Integer({ minimum: 100, maximum: 30_000, default: 250, description: 'how often the indices refresh: a written document is searchable at most this much later' }),
}
/** Where the indices are: what the service and `npm run reindex` both read. */
export type IndexConfig = Type.Static<Type.TObject<typeof IndexEnv>>

export const SearchConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...IndexEnv,
  ...JwtVerifyEnv,
  PORT: Port(3005),
  SEARCH_INDEXER_CONCURRENCY: Type.Integer({
    minimum: 1, maximum: 64, default: partitionsOf(INDEXED_TOPICS),
    description: 'partitions indexed at once (by default every one it reads); their writes share bulk requests',
  }),
  SEARCH_BULK_MAX_ACTIONS: Type.Integer({ minimum: 1, maximum: 10_000, default: 500, description: 'most documents in one bulk request' }),
})
export type SearchConfig = Type.Static<typeof SearchConfigSchema>

export const loadSearchConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(SearchConfigSchema, env)

/** What `npm run reindex` needs: only Elasticsearch, so it runs without the service's secrets. */
export const ReindexConfigSchema = Type.Object({
  ...IndexEnv,
  LOG_LEVEL: HttpEnv.LOG_LEVEL,
  SEARCH_REINDEX_BATCH: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'documents copied per bulk request' }),
})
export type ReindexConfig = Type.Static<typeof ReindexConfigSchema>

export const loadReindexConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(ReindexConfigSchema, env)
