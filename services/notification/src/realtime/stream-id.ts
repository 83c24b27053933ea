import type { StreamState } from './live-event.store.ts'

/**
 * Live event ids are the ids Redis gives entries of a user's stream: `<milliseconds>-<sequence>`,
 * both unsigned 64-bit, increasing per user. Clients resume with the last one they saw.
 */
const STREAM_ID = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/
const UINT64_MAX = 2n ** 64n - 1n

/** Before any event: resuming from here replays every event still kept. */
export const START = '0-0'

export function isStreamId(id: string): boolean {
  const match = STREAM_ID.exec(id)
  return match !== null && BigInt(match[1]!) <= UINT64_MAX && BigInt(match[2]!) <= UINT64_MAX
}

function parts(id: string): [bigint, bigint] {
  const [ms, seq] = id.split('-')
  return [BigInt(ms!), BigInt(seq!)]
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parts(a)
  const [bm, bs] = parts(b)
  if (am !== bm) return am < bm ? -1 : 1
  return as === bs ? 0 : as < bs ? -1 : 1
}

/**
 * Whether events after `after` may be gone from the stream, so that the client should reload its
 * inbox rather than trust the replay. Trimming drops the oldest entries, so nothing is missing when
 * `after` is still held. Before the first entry held, something is missing if entries were trimmed,
 * or if the stream is a new one (the old expired with what followed `after`); START is the resume
 * point of a client that connected when the user had no stream, which missed nothing unless trims.
 */
export function missedSince(after: string, stream: Pick<StreamState, 'exists' | 'firstId' | 'trimmed'>): boolean {
  if (!stream.exists) return after !== START
  if (stream.firstId === undefined || compareStreamIds(after, stream.firstId) >= 0) return false
  return stream.trimmed || after !== START
}
