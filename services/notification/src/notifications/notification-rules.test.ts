import { createEvent, type EventEnvelope } from '@starling/shared/events'
import { describe, expect, it } from 'vitest'
import { notificationsFor, retractionFor } from './notification-rules.ts'

const at = '2026-01-01T10:00:00.000Z'
const tweet = (overrides: Partial<Parameters<typeof createEvent<'tweet.created'>>[3]> = {}): EventEnvelope =>
  createEvent('tweet.created', 1, '100', {
    tweet_id: '100', author_id: '1', text: 'hi', conversation_id: '100', reply_to_id: null, reply_to_author_id: null,
    quote_of_id: null, quote_of_author_id: null, mentions: [], hashtags: [], created_at: at, ...overrides,
  })

describe('notification rules', () => {
  it('notify the followee of a follow', () => {
    expect(notificationsFor(createEvent('follow.created', 1, '1', { follower_id: '1', followee_id: '2', created_at: at })))
      .toEqual([{ recipientId: '2', type: 'follow', actorId: '1', tweetId: null, conversationId: null, createdAt: at }])
  })

  it('notify the author of a like or a retweet of their tweet', () => {
    const like = createEvent('like.created', 1, '9', { tweet_id: '9', user_id: '1', tweet_author_id: '2', like_count: 1, at })
    const retweet = createEvent('retweet.created', 1, '9', { retweet_id: '10', tweet_id: '9', user_id: '1', tweet_author_id: '2', retweet_count: 1, at })
    expect(notificationsFor(like)).toEqual([expect.objectContaining({ recipientId: '2', type: 'like', actorId: '1', tweetId: '9' })])
    expect(notificationsFor(retweet)).toEqual([expect.objectContaining({ recipientId: '2', type: 'retweet', actorId: '1', tweetId: '9' })])
  })

  it('notify the replied-to author once, and each other mentioned account once', () => {
    const reply = tweet({
      reply_to_id: '50', reply_to_author_id: '2', conversation_id: '50',
      mentions: [{ user_id: '2', username: 'bo' }, { user_id: '3', username: 'cy' }, { user_id: '3', username: 'CY' }],
    })
    expect(notificationsFor(reply).map((c) => [c.recipientId, c.type, c.tweetId])).toEqual([['2', 'reply', '100'], ['3', 'mention', '100']])
  })

  it('never notify anyone of their own doing', () => {
    expect(notificationsFor(tweet({ reply_to_id: '50', reply_to_author_id: '1', mentions: [{ user_id: '1', username: 'me' }] }))).toEqual([])
    expect(notificationsFor(createEvent('like.created', 1, '9', { tweet_id: '9', user_id: '1', tweet_author_id: '1', like_count: 1, at }))).toEqual([])
  })

  it('notify the recipient of a direct message, with the conversation', () => {
    const message = createEvent('message.created', 1, '77', { message_id: '5', conversation_id: '77', sender_id: '1', recipient_id: '2', text: 'yo', created_at: at })
    expect(notificationsFor(message)).toEqual([{ recipientId: '2', type: 'message', actorId: '1', tweetId: null, conversationId: '77', createdAt: at }])
  })

  it('ask nothing of events that notify nobody', () => {
    expect(notificationsFor(createEvent('block.created', 1, '1', { blocker_id: '1', blocked_id: '2', at }))).toEqual([])
    expect(notificationsFor(createEvent('tweet.deleted', 1, '1', { tweet_id: '1', author_id: '1', conversation_id: '1', deleted_at: at }))).toEqual([])
  })

  it('take back the notification of an unfollow, an unlike or an undone retweet', () => {
    expect(retractionFor(createEvent('follow.deleted', 1, '1', { follower_id: '1', followee_id: '2', reason: 'unfollow', deleted_at: at })))
      .toEqual({ recipientId: '2', type: 'follow', actorId: '1', tweetId: null })
    expect(retractionFor(createEvent('like.deleted', 1, '9', { tweet_id: '9', user_id: '1', tweet_author_id: '2', like_count: 0, at })))
      .toEqual({ recipientId: '2', type: 'like', actorId: '1', tweetId: '9' })
    expect(retractionFor(createEvent('retweet.deleted', 1, '9', { retweet_id: '10', tweet_id: '9', user_id: '1', tweet_author_id: '2', retweet_count: 0, at })))
      .toEqual({ recipientId: '2', type: 'retweet', actorId: '1', tweetId: '9' })
    expect(retractionFor(createEvent('follow.created', 1, '1', { follower_id: '1', followee_id: '2', created_at: at }))).toBeUndefined()
  })
})
