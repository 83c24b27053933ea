import { describe, expect, it } from 'vitest'
import { createEvent } from '@starling/shared/events'
import { engagementVersion, creationVersion, createTweetIndexer, deletionVersion } from './tweet-indexer.ts'
import type { TweetCountRepository } from './tweet-count.repository.ts'
import type { TweetSearchRepository } from './tweet-search.repository.ts'

function recorder() {
  const saved: { document: object; version: number }[] = []
  const save = async (document: object, version: number) => {
    saved.push({ document, version })
    return 'written' as const
  }
  const indexer = createTweetIndexer({ tweets: { save } as unknown as TweetSearchRepository, counts: { save } as unknown as TweetCountRepository })
  return { saved, indexer }
}

const at = '2026-01-01T00:00:00.000Z'

describe('tweet versions', () => {
  it('ranks a deletion above its creation even in the same millisecond', () => {
    expect(deletionVersion(at)).toBeGreaterThan(creationVersion(at))
    expect(creationVersion('2026-01-01T00:00:00.001Z')).toBeGreaterThan(deletionVersion(at))
  })
})

describe('createTweetIndexer', () => {
  it('indexes a tweet whole with its pictures, and its deletion as a tombstone with the higher version', async () => {
    const { saved, indexer } = recorder()
    const picture = { id: '9', url: '/m/9/original.webp', preview_url: '/m/9/preview.webp', width: 4, height: 3, alt_text: 'a cat' }
    await indexer.handle(createEvent('tweet.created', 2, '1', {
      tweet_id: '1', author_id: '2', text: 'hi #x', conversation_id: '1', reply_to_id: null, reply_to_author_id: null,
      quote_of_id: null, quote_of_author_id: null, mentions: [], hashtags: ['x'], media: [picture], created_at: at,
    }))
    await indexer.handle(createEvent('tweet.deleted', 1, '1', { tweet_id: '1', author_id: '2', conversation_id: '1', deleted_at: at }))
    expect(saved[0]).toEqual({
      document: { tweet_id: '1', author_id: '2', text: 'hi #x', hashtags: ['x'], mentions: [], media: [picture], conversation_id: '1', reply_to_id: null, quote_of_id: null, created_at: at, deleted: false },
      version: creationVersion(at),
    })
    expect(saved[1]).toEqual({ document: { tweet_id: '1', author_id: '2', conversation_id: '1', deleted: true, deleted_at: at }, version: deletionVersion(at) })
  })

  it('takes the count an engagement event carries, versioned by when it was published', async () => {
    const { saved, indexer } = recorder()
    const like = createEvent('like.deleted', 1, '1', { tweet_id: '1', user_id: '3', tweet_author_id: '2', like_count: 4, at }, new Date('2026-01-01T00:00:05Z'))
    await indexer.handle(like)
    expect(saved).toEqual([{ document: { tweet_id: '1', kind: 'like', count: 4 }, version: engagementVersion(like) }])
    expect(engagementVersion(like)).toBe(Date.parse('2026-01-01T00:00:05Z'))
  })
})
