import { describe, expect, it } from 'vitest'
import { topics } from '@starling/shared/events'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { redeliver, topicHistory } from '../../../test/setup/kafka.ts'
import { gateway } from '../../../test/setup/http.ts'
import { post } from '../../../test/setup/social.ts'
import { indexerCaughtUp, search, uniqueWord, untilSearch } from './search-client.ts'

const TOPICS = [topics.tweets.name, topics.engagements.name]

/** Every message so far on the tweet and engagement topics about one of `tweetIds`, in partition order. */
const historyOf = async (tweetIds: string[]) =>
  (await topicHistory(TOPICS, (event) => tweetIds.includes(event.payload.tweet_id as string)))
    .map(({ topic, message, event }) => ({ topic, message, type: event.type, payload: event.payload }))

const republish = redeliver

/** What search shows once everything published is indexed and refreshed. */
async function settled(word: string, tag: string) {
  await indexerCaughtUp()
  await fetch(`${testEnv.elasticsearchUrl}/starling-tweets,starling-counts/_refresh`, { method: 'POST' })
  return { tweets: (await search({ q: word })).body, tags: (await search({ q: tag, type: 'hashtags' })).body }
}

describe('redelivery', () => {
  it('leaves search as it was when a tweet\'s events come again, in order or late', async () => {
    const [author, fan1, fan2] = await Promise.all([newAccount('author'), newAccount('fan'), newAccount('fan')])
    const [word, tag] = [uniqueWord(), uniqueWord('r')]
    const kept = await post(author, `${word} kept #${tag}`)
    const doomed = await post(author, `${word} doomed #${tag}`)
    await gateway(`/tweets/${kept.id}/like`, { method: 'POST', token: fan1.token })
    await gateway(`/tweets/${kept.id}/like`, { method: 'POST', token: fan2.token })
    expect((await gateway(`/tweets/${doomed.id}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    await untilSearch({ q: word }, (ids) => ids.length === 1, 'the deletion indexed')
    await waitFor(async () => (await search({ q: word })).body.items[0].like_count === 2, { what: 'both likes' })
    const before = await settled(word, tag)
    expect(before.tags.items).toEqual([{ tag, count: 1 }])

    const history = await historyOf([kept.id, doomed.id])
    expect(history.map((m) => m.type).sort()).toEqual(['like.created', 'like.created', 'tweet.created', 'tweet.created', 'tweet.deleted'])
    await republish(history)
    expect(await settled(word, tag)).toEqual(before)

    // Late copies: the deleted tweet's creation after its deletion, the first like after the second.
    const late = history.filter((m) => (m.type === 'tweet.created' && m.payload.tweet_id === doomed.id) || (m.type === 'like.created' && m.payload.like_count === 1))
    expect(late).toHaveLength(2)
    await republish(late)
    expect(await settled(word, tag)).toEqual(before)
  })
})
