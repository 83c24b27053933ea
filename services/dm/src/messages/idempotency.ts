import { createHash } from 'node:crypto'
import type { NewMessage } from './message.schemas.ts'

/**
 * What an Idempotency-Key remembers of the request, to tell a retry from a different request: the
 * fields as sent, in a fixed order, so that key order does not count.
 */
export function requestHash(body: NewMessage): string {
  return createHash('sha256').update(JSON.stringify([body.recipient_id, body.text])).digest('base64url')
}
