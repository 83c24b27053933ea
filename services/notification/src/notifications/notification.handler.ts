import { claimEvent, withTransaction } from '@starling/shared/db'
import { type EventEnvelope } from '@starling/shared/events'
import { type UserReplica } from '@starling/shared/replicas'
import type { Pool, PoolClient } from 'pg'
import type { Push, PushQueue } from '../realtime/push-queue.ts'
import { notificationsFor, retractionFor } from './notification-rules.ts'
import type { NotificationRepository } from './notification.repository.ts'

export const CONSUMER = 'notification-inbox'

/**
 * Applies every event the inboxes care about: the graph's blocks and mutes, deleted tweets,
 * undone actions, and new notifications, pushed live to their recipients (and messages to both
 * sides of the conversation). Each event is applied once (claimed by id in the same transaction);
 * a redelivery only pushes what is still queued.
 */
export function createNotificationHandler(deps: { pool: Pool; notifications: NotificationRepository; users: UserReplica; pushes: PushQueue }) {
  const { pool, notifications, users, pushes } = deps

  async function apply(tx: PoolClient, event: EventEnvelope) {
    switch (event.type) {
      case 'block.created':
      case 'block.deleted':
        return notifications.setRelation(tx, 'blocks', event.payload.blocker_id, event.payload.blocked_id, event.type === 'block.created')
      case 'mute.created':
      case 'mute.deleted':
        return notifications.setRelation(tx, 'mutes', event.payload.muter_id, event.payload.muted_id, event.type === 'mute.created')
      case 'tweet.deleted':
        return notifications.deleteTweet(tx, event.payload.tweet_id, event.payload.deleted_at)
    }
    const retraction = retractionFor(event)
    if (retraction) await notifications.retract(tx, retraction)
  }

  return async function handle(event: EventEnvelope) {
    if (event.type === 'user.registered' || event.type === 'user.updated') return users.handle(event)
    const candidates = notificationsFor(event)
    // Actors are shown by name: each one is fetched into the replica now if it is not there yet.
    for (const actorId of new Set(candidates.map((c) => c.actorId))) await users.get(actorId)

    await withTransaction(pool, async (tx) => {
      if (!(await claimEvent(tx, CONSUMER, event.id))) return
      await apply(tx, event)
      const created: string[] = []
      for (const candidate of candidates) {
        const id = await notifications.insert(tx, candidate, event.id)
        if (id) created.push(id)
      }
      const queued: Push[] = []
      if (event.type === 'message.created') {
        const { message_id, ...message } = event.payload
        const data = { id: message_id, ...message }
        // The sender's other tabs and devices see the message too.
        queued.push({ userId: message.recipient_id, kind: 'message', data }, { userId: message.sender_id, kind: 'message', data })
      }
      for (const { recipientId, item } of await notifications.items(tx, created)) queued.push({ userId: recipientId, kind: 'notification', data: item })
      await pushes.enqueue(tx, event.id, queued)
    })
    await pushes.flush(event.id)
  }
}
