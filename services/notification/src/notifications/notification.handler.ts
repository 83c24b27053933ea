import type { EventEnvelope } from '@starling/shared/events'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { RelationReplica, ReplicaUser, UserReplica } from '@starling/shared/replicas'
import { liveTweetOf, type HomeAudience } from '../home/home-audience.ts'
import type { HomeRepository } from '../home/home.repository.ts'
import type { LivePushRepository, Push } from '../realtime/live-push.repository.ts'
import type { PushQueue } from '../realtime/push-queue.ts'
import { notificationsFor, retractionFor } from './notification-rules.ts'
import type { NotificationRepository } from './notification.repository.ts'

/**
 * Events whose only effect here is the notifications they ask for, and for a tweet the pushes to
 * its live audience: one that asks for none (a tweet that mentions and answers nobody, with
 * nobody present to hear of it; a like of one's own tweet) changes nothing, so it costs no
 * transaction. Most tweets are such. (A message is also pushed to both sides, a follow changes
 * the follows copy, so they are not here.)
 */
const ONLY_NOTIFY = new Set<EventEnvelope['type']>(['tweet.created', 'like.created', 'retweet.created'])

/** The consumer group, and the name its applied events are claimed under. */
export const CONSUMER = 'notification-inbox'

/** What one event changes, in one transaction. */
export interface InboxRepositories {
  notifications: NotificationRepository
  /** The graph's blocks and mutes, which hide notifications. */
  relations: Pick<RelationReplica, 'handle'>
  /** The follows, and whom each tweet was pushed to. */
  home: Pick<HomeRepository, 'handle' | 'mayRead' | 'sent' | 'takeRecipients'>
  pushes: Pick<LivePushRepository, 'enqueue'>
}

/**
 * Applies every event the inboxes and live home timelines care about: accounts (the actors'
 * names), the graph's follows, blocks and mutes, deleted tweets, undone actions, and new
 * notifications, pushed live to their recipients (and messages to both sides of the
 * conversation); a new tweet is pushed to its audience present, its deletion to whoever it was
 * pushed to. Each event is applied once (claimed by id in the same transaction); a redelivery
 * only pushes what is still queued.
 */
export function createNotificationHandler(deps: {
  uow: UnitOfWork<InboxRepositories>
  users: Pick<UserReplica, 'handle' | 'get'>
  audience: Pick<HomeAudience, 'of'>
  pushQueue: PushQueue
}) {
  const { uow, users, audience, pushQueue } = deps

  return async function handle(event: EventEnvelope) {
    // Newer versions win, so a redelivery changes nothing: no claim needed.
    if (event.type === 'user.registered' || event.type === 'user.updated') return users.handle(event)
    const candidates = notificationsFor(event)
    // Who is online to hear of a new tweet: usually nobody (one Redis count, then nothing). A
    // redelivery whose first delivery committed and failed to push finds nobody only once its
    // recipients have been gone past the grace; its queued pushes are then left unsent.
    const listeners = event.type === 'tweet.created' ? await audience.of(event.payload.author_id) : []
    if (candidates.length === 0 && listeners.length === 0 && ONLY_NOTIFY.has(event.type)) return
    // Actors are shown by name: each one is fetched into the replica now if it is not there yet
    // (outside the transaction, as it may ask the user service).
    const actorIds = new Set(candidates.map((c) => c.actorId))
    if (event.type === 'tweet.created' && listeners.length > 0) actorIds.add(event.payload.author_id)
    const actors = new Map<string, ReplicaUser | undefined>()
    for (const actorId of actorIds) actors.set(actorId, await users.get(actorId))

    await uow.run(async ({ notifications, relations, home, pushes }) => {
      if (!(await notifications.claim(CONSUMER, event.id))) return
      await relations.handle(event)
      await home.handle(event)
      const queued: Push[] = []
      if (event.type === 'tweet.deleted') {
        await notifications.deleteTweet(event.payload.tweet_id, event.payload.deleted_at)
        const data = { tweet_id: event.payload.tweet_id }
        for (const userId of await home.takeRecipients(event.payload.tweet_id)) queued.push({ userId, kind: 'tweet_deleted', data })
      }
      const retraction = retractionFor(event)
      if (retraction) await notifications.retract(retraction)

      const created: string[] = []
      for (const candidate of candidates) {
        const id = await notifications.insert(candidate, event.id)
        if (id) created.push(id)
      }
      if (event.type === 'message.created') {
        const { message_id, ...message } = event.payload
        const data = { id: message_id, ...message }
        // The sender's other tabs and devices see the message too.
        queued.push({ userId: message.recipient_id, kind: 'message', data }, { userId: message.sender_id, kind: 'message', data })
      }
      if (event.type === 'tweet.created' && listeners.length > 0) {
        const { tweet_id, author_id } = event.payload
        // Read here, in the transaction: a block, mute or deletion applied before it is honoured.
        const readers = await home.mayRead(tweet_id, author_id, listeners)
        if (readers.length > 0) {
          await home.sent(tweet_id, readers)
          const data = liveTweetOf(event.payload, actors.get(author_id))
          for (const userId of readers) queued.push({ userId, kind: 'tweet', data })
        }
      }
      for (const { recipientId, item } of await notifications.items(created)) queued.push({ userId: recipientId, kind: 'notification', data: item })
      await pushes.enqueue(event.id, queued)
    })
    await pushQueue.flush(event.id)
  }
}
