import type { EventEnvelope } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { RelationReplica, UserReplica } from '@starling/shared/replicas'
import type { LivePushRepository, Push } from '../realtime/live-push.repository.ts'
import type { PushQueue } from '../realtime/push-queue.ts'
import { notificationsFor, retractionFor } from './notification-rules.ts'
import type { NotificationRepository } from './notification.repository.ts'

/**
 * Events whose only effect here is the notifications they ask for: one that asks for none (a tweet
 * that mentions and answers nobody, a like of one's own tweet) changes nothing, so it costs no
 * transaction. Most tweets are such. (A message is also pushed to both sides, so it is not here.)
 */
const ONLY_NOTIFY = new Set<EventEnvelope['type']>(['tweet.created', 'like.created', 'retweet.created', 'follow.created'])

/** The consumer group, and the name its applied events are claimed under. */
export const CONSUMER = 'notification-inbox'

/** What one event changes, in one transaction. */
export interface InboxRepositories {
  notifications: NotificationRepository
  /** The graph's blocks and mutes, which hide notifications. */
  relations: Pick<RelationReplica, 'handle'>
  pushes: Pick<LivePushRepository, 'enqueue'>
}

/**
 * Applies every event the inboxes care about: accounts (the actors' names), the graph's blocks
 * and mutes, deleted tweets, undone actions, and new notifications, pushed live to their
 * recipients (and messages to both sides of the conversation). Each event is applied once
 * (claimed by id in the same transaction); a redelivery only pushes what is still queued.
 */
export function createNotificationHandler(deps: {
  uow: UnitOfWork<InboxRepositories>
  users: Pick<UserReplica, 'handle' | 'get'>
  pushQueue: PushQueue
}) {
  const { uow, users, pushQueue } = deps

  return async function handle(event: EventEnvelope) {
    // Newer versions win, so a redelivery changes nothing: no claim needed.
    if (event.type === 'user.registered' || event.type === 'user.updated') return users.handle(event)
    const candidates = notificationsFor(event)
    if (candidates.length === 0 && ONLY_NOTIFY.has(event.type)) return
    // Actors are shown by name: each one is fetched into the replica now if it is not there yet
    // (outside the transaction, as it may ask the user service).
    for (const actorId of new Set(candidates.map((c) => c.actorId))) await users.get(actorId)

    await uow.run(async ({ notifications, relations, pushes }) => {
      if (!(await notifications.claim(CONSUMER, event.id))) return
      await relations.handle(event)
      if (event.type === 'tweet.deleted') await notifications.deleteTweet(event.payload.tweet_id, event.payload.deleted_at)
      const retraction = retractionFor(event)
      if (retraction) await notifications.retract(retraction)

      const created: string[] = []
      for (const candidate of candidates) {
        const id = await notifications.insert(candidate, event.id)
        if (id) created.push(id)
      }
      const queued: Push[] = []
      if (event.type === 'message.created') {
        const { message_id, ...message } = event.payload
        const data = { id: message_id, ...message }
        // The sender's other tabs and devices see the message too.
        queued.push({ userId: message.recipient_id, kind: 'message', data }, { userId: message.sender_id, kind: 'message', data })
      }
      for (const { recipientId, item } of await notifications.items(created)) queued.push({ userId: recipientId, kind: 'notification', data: item })
      await pushes.enqueue(event.id, queued)
    })
    await pushQueue.flush(event.id)
  }
}
