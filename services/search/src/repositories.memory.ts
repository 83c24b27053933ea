import { createMemoryHashtagSearchRepository } from './hashtags/hashtag-search.repository.memory.ts'
import { createMemoryRelationRepository } from './relations/relation.repository.memory.ts'
import type { Repositories } from './repositories.ts'
import { createMemoryTweetCountRepository } from './tweets/tweet-count.repository.memory.ts'
import { createMemoryTweetSearchRepository } from './tweets/tweet-search.repository.memory.ts'
import { createMemoryUserSearchRepository } from './users/user-search.repository.memory.ts'

/** Every repository of createRepositories, in memory, for unit tests of the rules. */
export function createMemoryRepositories() {
  const tweets = createMemoryTweetSearchRepository()
  return {
    users: createMemoryUserSearchRepository(),
    tweets,
    counts: createMemoryTweetCountRepository(),
    relations: createMemoryRelationRepository(),
    hashtags: createMemoryHashtagSearchRepository(tweets),
  } satisfies Repositories
}
