import { errors } from '../errors.ts'

export const MAX_TWEET_LENGTH = 280
const MAX_HASHTAG_LENGTH = 50

/** Length as people count it: in code points, so an emoji outside the BMP (two UTF-16 units) counts once. */
export const textLength = (text: string) => [...text].length

/** The text as stored: trimmed, then 1–280 code points. */
export function tweetText(raw: string): string {
  const text = raw.trim()
  const length = textLength(text)
  if (length < 1 || length > MAX_TWEET_LENGTH) {
    throw errors.TWT_TEXT_LENGTH(`A tweet has 1 to ${MAX_TWEET_LENGTH} characters after trimming; this one has ${length}.`,
      { errors: [{ field: 'text', message: `must have 1 to ${MAX_TWEET_LENGTH} characters` }] })
  }
  // Postgres text cannot hold NUL; refusing it here keeps it a 400 rather than a 500.
  if (text.includes('\u0000')) throw errors.TWT_TEXT_INVALID('The text must not contain NUL characters.', { errors: [{ field: 'text', message: 'contains NUL' }] })
  return text
}

// A username as the user service allows it, not glued to a word before (emails) or after (longer names).
const MENTION = /(?<![A-Za-z0-9_])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/g
// Letters of any script (with their combining marks), digits and underscores.
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_])#([\p{L}\p{M}\p{N}_]+)/gu
const HAS_NON_DIGIT = /[^\p{N}]/u

/** The @names in the text, in order of first appearance, once each ignoring case. */
export function extractMentions(text: string): string[] {
  const names = new Map<string, string>()
  for (const [, name] of text.matchAll(MENTION)) {
    if (!names.has(name!.toLowerCase())) names.set(name!.toLowerCase(), name!)
  }
  return [...names.values()]
}

/**
 * The #tags in the text, lower-cased, without the #, in order of first appearance, once each.
 * Tags over 50 characters are left out rather than cut (a cut tag is another tag), and so are
 * digits alone, as in "#1 in the charts".
 */
export function extractHashtags(text: string): string[] {
  const tags = new Set<string>()
  for (const [, tag] of text.matchAll(HASHTAG)) {
    if (textLength(tag!) <= MAX_HASHTAG_LENGTH && HAS_NON_DIGIT.test(tag!)) tags.add(tag!.toLowerCase())
  }
  return [...tags]
}
