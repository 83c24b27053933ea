import { LiveAuth } from '@starling/shared/events'
import type { RawData } from 'ws'
import { Compile } from 'typebox/compile'
import { isStreamId } from './stream-id.ts'

/**
 * `{"type":"auth","token":"…","last_event_id"?:"…"}`: the first message of every socket, and later
 * again with a fresh token before the current one expires (then last_event_id is ignored).
 */
export type AuthMessage = LiveAuth

const authMessage = Compile(LiveAuth)

export const byteLength = (data: RawData) =>
  Array.isArray(data) ? data.reduce((sum, chunk) => sum + chunk.length, 0) : data.byteLength

/** The message a client sent, or why it is not one this server understands. */
export function parseClientMessage(data: RawData, isBinary: boolean): { message: AuthMessage } | { error: string } {
  if (isBinary) return { error: 'send JSON text messages' }
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { error: 'the message is not JSON' }
  }
  if (!authMessage.Check(value)) return { error: 'expected {"type":"auth","token":"…","last_event_id"?:"…"}' }
  if (value.last_event_id !== undefined && !isStreamId(value.last_event_id)) return { error: 'last_event_id is not an id this server gave out' }
  return { message: value }
}
