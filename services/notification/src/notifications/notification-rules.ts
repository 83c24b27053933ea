import type { EventEnvelope } from '@starling/shared/events'

export const NOTIFICATION_TYPES = ['follow', 'like', 'retweet', 'reply', 'mention', 'message'] as const
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/** A notification an event asks for; the repository still drops it for blocks, mutes and deleted tweets. */
export interface Candidate {
  recipientId: string
  type: NotificationType
  actorId: string
  tweetId: string | null
  conversationId: string | null
  createdAt: string
}

/** The unread notification an undone action takes back. */
export type Retraction = Omit<Candidate, 'conversationId' | 'createdAt'>

/**
 * Who is notified of an event, and of what. Nobody is notified of their own doing. The author of
 * the tweet a reply answers gets a reply notification and not also a mention.
 */
export function notificationsFor(event: EventEnvelope): Candidate[] {
  const candidates: Candidate[] = []
  const add = (c: Candidate) => {
    if (c.recipientId !== c.actorId && !candidates.some((o) => o.recipientId === c.recipientId)) candidates.push(c)
  }
  switch (event.type) {
    case 'follow.created': {
      const { follower_id, followee_id, created_at } = event.payload
      add({ recipientId: followee_id, type: 'follow', actorId: follower_id, tweetId: null, conversationId: null, createdAt: created_at })
      break
    }
    case 'like.created':
    case 'retweet.created': {
      const { tweet_id, user_id, tweet_author_id, at } = event.payload
      const type = event.type === 'like.created' ? 'like' : 'retweet'
      add({ recipientId: tweet_author_id, type, actorId: user_id, tweetId: tweet_id, conversationId: null, createdAt: at })
      break
    }
    case 'tweet.created': {
      const { tweet_id, author_id, reply_to_author_id, mentions, created_at } = event.payload
      const about = { actorId: author_id, tweetId: tweet_id, conversationId: null, createdAt: created_at }
      if (reply_to_author_id) add({ recipientId: reply_to_author_id, type: 'reply', ...about })
      for (const mention of mentions) add({ recipientId: mention.user_id, type: 'mention', ...about })
      break
    }
    case 'message.created': {
      const { conversation_id, sender_id, recipient_id, created_at } = event.payload
      add({ recipientId: recipient_id, type: 'message', actorId: sender_id, tweetId: null, conversationId: conversation_id, createdAt: created_at })
      break
    }
  }
  return candidates
}

/** The notification an unfollow, unlike or undone retweet takes back, if it is still unread. */
export function retractionFor(event: EventEnvelope): Retraction | undefined {
  switch (event.type) {
    case 'follow.deleted':
      return { recipientId: event.payload.followee_id, type: 'follow', actorId: event.payload.follower_id, tweetId: null }
    case 'like.deleted':
    case 'retweet.deleted': {
      const { tweet_id, user_id, tweet_author_id } = event.payload
      return { recipientId: tweet_author_id, type: event.type === 'like.deleted' ? 'like' : 'retweet', actorId: user_id, tweetId: tweet_id }
    }
    default:
      return undefined
  }
}
