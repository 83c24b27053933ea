import type { EventType } from './contracts.ts'

export interface TopicSpec {
  name: string
  description: string
  /** What the message key is; events of one key stay in order. */
  key: string
  partitions: number
  events: readonly EventType[]
}

/** Every topic Starling uses. The stack creates them from this list; AsyncAPI is generated from it. */
export const topics = {
  users: {
    name: 'starling.users.v1',
    description: 'Account lifecycle, published by the user service.',
    key: 'user id',
    partitions: 6,
    events: ['user.registered', 'user.updated'],
  },
  graph: {
    name: 'starling.graph.v1',
    description: 'Follows, blocks and mutes, published by the follower service.',
    key: 'the acting user id (follower, blocker, muter), so one person\'s changes stay in order',
    partitions: 6,
    events: ['follow.created', 'follow.deleted', 'block.created', 'block.deleted', 'mute.created', 'mute.deleted'],
  },
  tweets: {
    name: 'starling.tweets.v1',
    description: 'Tweets posted and deleted, published by the tweet service.',
    key: 'conversation id (the first tweet of the thread), so replies follow what they answer',
    partitions: 12,
    events: ['tweet.created', 'tweet.deleted'],
  },
  engagements: {
    name: 'starling.engagements.v1',
    description: 'Likes and retweets, published by the tweet service, with the counts after each change.',
    key: 'tweet id, so the counts of one tweet arrive in order',
    partitions: 12,
    events: ['like.created', 'like.deleted', 'retweet.created', 'retweet.deleted'],
  },
  sessions: {
    name: 'starling.sessions.v1',
    description: 'Logins that ended (sign-out, or a refresh token replayed), published by the user service.',
    key: 'user id',
    partitions: 3,
    events: ['login.revoked'],
  },
  messages: {
    name: 'starling.messages.v1',
    description: 'Direct messages, published by the dm service.',
    key: 'conversation id, so a conversation\'s messages arrive in order',
    partitions: 6,
    events: ['message.created'],
  },
  media: {
    name: 'starling.media.v1',
    description: 'Pictures uploaded, processed, rejected or deleted, published by the media service.',
    key: 'media id',
    partitions: 6,
    events: ['media.uploaded', 'media.processed', 'media.rejected', 'media.deleted'],
  },
} as const satisfies Record<string, TopicSpec>

export type TopicKey = keyof typeof topics

/** Where events that cannot be processed go, with the reason in the headers. */
export const deadLetterTopic = {
  name: 'starling.dead-letter.v1',
  description: 'Events a consumer could not process. Headers name the source topic, partition, offset, group and error.',
  key: 'the original key',
  partitions: 3,
  events: [],
} as const satisfies TopicSpec

export const allTopics: TopicSpec[] = [...Object.values(topics), deadLetterTopic]

export function topicOf(type: EventType): TopicSpec {
  const topic = allTopics.find((t) => t.events.includes(type))
  if (!topic) throw new Error(`no topic carries ${type}; add it to the catalog`)
  return topic
}

/**
 * How many partitions these topics have together: a consumer that takes every one of a fetch's
 * batches at once never leaves one partition's events waiting behind another's.
 */
export function partitionsOf(topicNames: readonly string[]): number {
  return topicNames.reduce((sum, name) => sum + (allTopics.find((t) => t.name === name)?.partitions ?? 1), 0)
}
