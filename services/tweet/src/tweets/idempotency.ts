import { createHash } from 'node:crypto'
import type { NewTweet } from './tweet.schemas.ts'

/**
 * What an Idempotency-Key remembers of the request, to tell a retry from a different request:
 * the fields as sent, in a fixed order, so that key order and an absent versus a null id do not count.
 */
export function requestHash(body: NewTweet): string {
  return createHash('sha256').update(JSON.stringify([body.text, body.reply_to_id ?? null, body.quote_of_id ?? null])).digest('base64url')
}
