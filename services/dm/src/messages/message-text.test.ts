import { AppError } from '@starling/shared/errors'
import { describe, expect, it } from 'vitest'
import { messageText } from './message-text.ts'

const codeOf = (raw: string) => {
  try {
    messageText(raw)
  } catch (error) {
    return (error as AppError).code
  }
  return undefined
}

describe('message text', () => {
  it('is trimmed', () => {
    expect(messageText('  hello \n')).toBe('hello')
  })

  it('counts code points, so 1000 emoji fit and 1001 do not', () => {
    expect(messageText('😀'.repeat(1000))).toHaveLength(2000)
    expect(codeOf('😀'.repeat(1001))).toBe('DM_TEXT_LENGTH')
    expect(codeOf('a'.repeat(1001))).toBe('DM_TEXT_LENGTH')
  })

  it('refuses empty and whitespace-only text', () => {
    expect(codeOf('')).toBe('DM_TEXT_LENGTH')
    expect(codeOf(' \t\n ')).toBe('DM_TEXT_LENGTH')
  })
})
