import type { Client } from '@elastic/elasticsearch'
import { createHashtagSearchRepository } from './hashtags/hashtag-search.repository.ts'
import type { IndexSpecs } from './indices.ts'
import type { BulkWriter } from './indexing/bulk-writer.ts'
import { createRelationRepository } from './relations/relation.repository.ts'
import { createTweetCountRepository } from './tweets/tweet-count.repository.ts'
import { createTweetSearchRepository } from './tweets/tweet-search.repository.ts'
import { createUserSearchRepository } from './users/user-search.repository.ts'

/** Every repository over the search indices; reads go through the read aliases, writes through `writer`. */
export function createRepositories(client: Client, indices: IndexSpecs, writer: BulkWriter) {
  return {
    users: createUserSearchRepository(client, writer, indices.users),
    tweets: createTweetSearchRepository(client, writer, indices.tweets),
    counts: createTweetCountRepository(client, writer, indices.counts),
    relations: createRelationRepository(client, writer, indices.relations),
    hashtags: createHashtagSearchRepository(client, indices.tweets),
  }
}
export type Repositories = ReturnType<typeof createRepositories>
