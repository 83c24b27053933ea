/**
 * A timeline entry is one sorted-set member: `<sort id, 20 digits>:<tweet id>:<author id>:<retweeter id or empty>`.
 * All members share score 0 and are ordered by the member text (ZRANGE … BYLEX), and the
 * zero-padded, time-ordered id makes that order newest-last. Scores are not used because 64-bit ids
 * do not fit a double exactly. The sort id is the tweet id, or the retweet's own id for a retweet.
 */
export interface Entry {
  sortId: string
  tweetId: string
  authorId: string
  retweeterId: string | null
}

const WIDTH = 20

export function encodeEntry(entry: Entry): string {
  return `${entry.sortId.padStart(WIDTH, '0')}:${entry.tweetId}:${entry.authorId}:${entry.retweeterId ?? ''}`
}

export function decodeEntry(member: string): Entry {
  const [sortId, tweetId, authorId, retweeterId] = member.split(':')
  if (!sortId || !tweetId || !authorId || retweeterId === undefined) throw new Error(`not a timeline entry: ${member}`)
  return { sortId: sortId.replace(/^0+(?=\d)/, ''), tweetId, authorId, retweeterId: retweeterId || null }
}

/** Who put the entry in your timeline: the retweeter for a retweet, else the author. */
export const actorOf = (entry: Entry) => entry.retweeterId ?? entry.authorId

/** The exclusive upper bound for "older than this entry" in ZRANGE … BYLEX REV. */
export const before = (member: string | undefined) => (member ? `(${member}` : '+')
