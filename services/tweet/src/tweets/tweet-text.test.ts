import { AppError } from '@starling/shared/errors'
import { describe, expect, it } from 'vitest'
import { extractHashtags, extractMentions, textLength, tweetText } from './tweet-text.ts'

function rejection(raw: string) {
  try {
    tweetText(raw)
  } catch (error) {
    return error as AppError
  }
  throw new Error('accepted')
}

describe('tweetText', () => {
  it('trims the text', () => {
    expect(tweetText('  \n hello \t ')).toBe('hello')
  })

  it('counts code points, so 280 emoji fit although they are 560 UTF-16 units', () => {
    const text = '😀'.repeat(280)
    expect(text.length).toBe(560)
    expect(textLength(text)).toBe(280)
    expect(tweetText(text)).toBe(text)
  })

  it('accepts 280 characters and rejects tweets over 280 characters', () => {
    expect(tweetText('a'.repeat(280))).toHaveLength(280)
    expect(rejection('a'.repeat(281))).toMatchObject({ status: 400, code: 'TWT_TEXT_LENGTH' })
    expect(rejection(`${'😀'.repeat(280)}a`)).toMatchObject({ status: 400, code: 'TWT_TEXT_LENGTH' })
  })

  it('does not count the whitespace it trims', () => {
    expect(tweetText(`  ${'a'.repeat(280)}  `)).toHaveLength(280)
  })

  it.each([['empty', ''], ['only whitespace', ' \n\t ']])('rejects %s text', (_case, raw) => {
    expect(rejection(raw)).toMatchObject({ status: 400, code: 'TWT_TEXT_LENGTH' })
  })

  it('rejects a NUL character, which Postgres cannot store', () => {
    expect(rejection('a\u0000b')).toMatchObject({ status: 400, code: 'TWT_TEXT_INVALID' })
  })
})

describe('extractMentions', () => {
  it('finds @names in order, once each ignoring case', () => {
    expect(extractMentions('@ada hi @Bob_1, @ADA and (@carol)')).toEqual(['ada', 'Bob_1', 'carol'])
  })

  it('ignores emails, names too short or too long, and a bare @', () => {
    expect(extractMentions(`mail ada@example.com @ab @${'x'.repeat(31)} @ now`)).toEqual([])
    expect(extractMentions(`@${'x'.repeat(30)}`)).toEqual(['x'.repeat(30)])
  })

  it('stops a name at the first character a username cannot have', () => {
    expect(extractMentions('@ada.lovelace @bob-smith @eve!')).toEqual(['ada', 'bob', 'eve'])
  })
})

describe('extractHashtags', () => {
  it('lower-cases and deduplicates tags, in order of first appearance', () => {
    expect(extractHashtags('#Kafka rocks #kafka #Event_Sourcing')).toEqual(['kafka', 'event_sourcing'])
  })

  it('takes letters of any script, with their combining marks', () => {
    expect(extractHashtags('#Über #café #東京 #नमस्ते')).toEqual(['über', 'café', '東京', 'नमस्ते'])
  })

  it('ends a tag at punctuation and ignores a # glued to a word', () => {
    expect(extractHashtags('#one, #two! C#sharp issue#3')).toEqual(['one', 'two'])
  })

  it('leaves out tags over 50 characters and tags of digits only', () => {
    expect(extractHashtags(`#${'a'.repeat(50)} #${'b'.repeat(51)} #1 #2024 #web3`)).toEqual(['a'.repeat(50), 'web3'])
  })
})
