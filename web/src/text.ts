/** Length as the server counts it: code points after trimming, so an emoji counts once. */
export const tweetLength = (text: string) => [...text.trim()].length
export const MAX_TWEET = 280
export const MAX_MESSAGE = 1000

// The same patterns the tweet service extracts with (services/tweet/src/tweets/tweet-text.ts).
const TOKENS = /(?<![A-Za-z0-9_])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])|(?<![\p{L}\p{M}\p{N}_])#([\p{L}\p{M}\p{N}_]+)/gu

export type Segment = { kind: 'text'; text: string } | { kind: 'mention'; text: string; username: string } | { kind: 'hashtag'; text: string; tag: string }

/** A tweet's text cut into plain runs, @mentions and #hashtags, for links. */
export function segments(text: string): Segment[] {
  const out: Segment[] = []
  let at = 0
  for (const match of text.matchAll(TOKENS)) {
    if (match.index > at) out.push({ kind: 'text', text: text.slice(at, match.index) })
    if (match[1]) out.push({ kind: 'mention', text: match[0], username: match[1] })
    else out.push({ kind: 'hashtag', text: match[0], tag: match[2]!.toLowerCase() })
    at = match.index + match[0].length
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) })
  return out
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3600], ['minute', 60]]
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' })
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function when(iso: string, now = Date.now()) {
  const seconds = (now - Date.parse(iso)) / 1000
  const full = absolute.format(new Date(iso))
  if (seconds < 45) return { short: 'now', full }
  for (const [unit, size] of units) {
    if (seconds >= size || unit === 'minute') return { short: seconds > 7 * 86_400 ? full : relative.format(-Math.round(seconds / size), unit), full }
  }
  return { short: full, full }
}
