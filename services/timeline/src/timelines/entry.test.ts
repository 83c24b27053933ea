import { describe, expect, it } from 'vitest'
import { actorOf, decodeEntry, encodeEntry } from './entry.ts'

describe('timeline entries', () => {
  it('round-trip a tweet and a retweet', () => {
    const tweet = { sortId: '123456789012345678', tweetId: '123456789012345678', authorId: '42', retweeterId: null }
    const retweet = { sortId: '223456789012345678', tweetId: '123456789012345678', authorId: '42', retweeterId: '7' }
    expect(decodeEntry(encodeEntry(tweet))).toEqual(tweet)
    expect(decodeEntry(encodeEntry(retweet))).toEqual(retweet)
    expect(actorOf(tweet)).toBe('42')
    expect(actorOf(retweet)).toBe('7')
  })

  it('sort as text in the order of their ids, even across id lengths', () => {
    const ids = ['9', '10', '999999999999999999', '1000000000000000000', '123456789012345678901'.slice(0, 20)]
    const members = ids.map((id) => encodeEntry({ sortId: id, tweetId: id, authorId: '1', retweeterId: null }))
    expect([...members].sort()).toEqual(members)
  })

  it('keep ids beyond 2^53 exact', () => {
    const id = '9007199254740993123'
    expect(decodeEntry(encodeEntry({ sortId: id, tweetId: id, authorId: '1', retweeterId: null })).tweetId).toBe(id)
  })

  it('refuse a member that is not an entry', () => {
    expect(() => decodeEntry('hello')).toThrow(/not a timeline entry/)
  })
})
