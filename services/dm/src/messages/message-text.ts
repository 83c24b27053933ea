import { errors } from '../errors.ts'

export const MAX_MESSAGE_LENGTH = 1000

/** Length as people count it: in code points, so an emoji outside the BMP (two UTF-16 units) counts once. */
const textLength = (text: string) => [...text].length

/** The text as stored: trimmed, then 1–1000 code points (the schema already refused what Postgres cannot store). */
export function messageText(raw: string): string {
  const text = raw.trim()
  const length = textLength(text)
  if (length < 1 || length > MAX_MESSAGE_LENGTH) {
    throw errors.DM_TEXT_LENGTH(`A message has 1 to ${MAX_MESSAGE_LENGTH} characters after trimming; this one has ${length}.`,
      { errors: [{ field: 'text', message: `must have 1 to ${MAX_MESSAGE_LENGTH} characters` }] })
  }
  return text
}
