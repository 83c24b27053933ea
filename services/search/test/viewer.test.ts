import { randomInt } from 'node:crypto'
import { waitFor } from '@starling/shared/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { newAccount, type Account } from '../../../test/setup/accounts.ts'
import { gateway } from '../../../test/setup/http.ts'
import { stackServiceEnv } from '../../../test/setup/service.ts'
import { post } from '../../../test/setup/social.ts'
import { composeIndices } from '../src/compose.ts'
import { loadSearchConfig } from '../src/config.ts'
import { createBulkWriter } from '../src/indexing/bulk-writer.ts'
import { createRelationRepository } from '../src/relations/relation.repository.ts'
import { search, uniqueWord, untilSearch } from './search-client.ts'

/** The one result of searching `word` as `reader` (anonymously without one). */
const found = async (word: string, reader?: Account) => {
  const response = await search({ q: word }, reader)
  expect(response.status).toBe(200)
  return response.body.items[0] as { id: string; viewer?: { liked: boolean; retweeted: boolean } } | undefined
}

const untilViewer = (word: string, reader: Account, viewer: { liked: boolean; retweeted: boolean }, what: string) =>
  waitFor(async () => {
    const item = await found(word, reader)
    return item && JSON.stringify(item.viewer) === JSON.stringify(viewer) ? item : undefined
  }, { timeoutMs: 15_000, what })

const engage = async (reader: Account, tweetId: string, what: 'like' | 'retweet', method: 'POST' | 'DELETE') =>
  expect((await gateway(`/tweets/${tweetId}/${what}`, { method, token: reader.token })).status).toBe(200)

describe('the reader\'s own state of each tweet in search', () => {
  it('is absent without a token, and with one says whether the reader likes and retweeted the tweet, as that changes', async () => {
    const [author, reader, other] = await Promise.all([newAccount('author'), newAccount('reader'), newAccount('other')])
    const word = uniqueWord()
    const tweet = await post(author, `${word} to engage with`)
    await untilSearch({ q: word }, (ids) => ids.includes(tweet.id), 'the tweet')
    expect(await found(word)).not.toHaveProperty('viewer')
    expect((await found(word, reader))!.viewer).toEqual({ liked: false, retweeted: false })

    // Someone else's like is theirs, not the reader's.
    await engage(other, tweet.id, 'like', 'POST')
    await untilViewer(word, other, { liked: true, retweeted: false }, 'the other account\'s like')
    expect((await found(word, reader))!.viewer).toEqual({ liked: false, retweeted: false })

    await engage(reader, tweet.id, 'like', 'POST')
    await engage(reader, tweet.id, 'retweet', 'POST')
    await untilViewer(word, reader, { liked: true, retweeted: true }, 'the reader\'s like and retweet')
    expect(await found(word)).not.toHaveProperty('viewer')

    await engage(reader, tweet.id, 'like', 'DELETE')
    await untilViewer(word, reader, { liked: false, retweeted: true }, 'the like taken back')
    await engage(reader, tweet.id, 'retweet', 'DELETE')
    await untilViewer(word, reader, { liked: false, retweeted: false }, 'the retweet taken back')
    expect((await found(word, other))!.viewer).toEqual({ liked: true, retweeted: false })
  })
})

describe('the relations index', () => {
  const { elastic, indices } = composeIndices(loadSearchConfig(stackServiceEnv('search')))
  const relations = createRelationRepository(elastic, createBulkWriter({ client: elastic, maxActions: 100 }), indices.relations)
  afterAll(() => elastic.close())
  const id = () => String(randomInt(1, 2 ** 47) * 1000 + randomInt(1000))

  it('answers likes and retweets in one query, and never reads them as blocks or mutes', async () => {
    const [reader, liked, retweeted, both, mutedOne] = [id(), id(), id(), id(), id()]
    const now = Date.now()
    await Promise.all([
      relations.save({ kind: 'like', actor_id: reader, target_id: liked, active: true }, now),
      relations.save({ kind: 'retweet', actor_id: reader, target_id: retweeted, active: true }, now),
      relations.save({ kind: 'like', actor_id: reader, target_id: both, active: true }, now),
      relations.save({ kind: 'retweet', actor_id: reader, target_id: both, active: true }, now),
      relations.save({ kind: 'mute', actor_id: reader, target_id: mutedOne, active: true }, now),
    ])
    // A like taken back, then a late copy of its start: the newer state stands.
    expect(await relations.save({ kind: 'like', actor_id: reader, target_id: retweeted, active: false }, now)).toBe('written')
    expect(await relations.save({ kind: 'like', actor_id: reader, target_id: retweeted, active: true }, now - 1)).toBe('stale')
    await elastic.indices.refresh({ index: indices.relations.alias })

    const states = await relations.engagementsOf(reader, [liked, retweeted, both, mutedOne])
    expect(Object.fromEntries(states)).toEqual({
      [liked]: { liked: true, retweeted: false },
      [retweeted]: { liked: false, retweeted: true },
      [both]: { liked: true, retweeted: true },
      [mutedOne]: { liked: false, retweeted: false },
    })
    expect(await relations.hiddenFrom(reader)).toEqual([mutedOne])
    expect(await relations.engagementsOf(reader, [])).toEqual(new Map())
  })
})
