import Type from 'typebox'
import { Id } from '../schemas/id.ts'
import { TweetFields } from '../schemas/public.ts'

/*
 * The frames of the realtime socket (GET /ws, held by the notification service), for clients and
 * for the AsyncAPI document. Each event frame is `{type, id, data}`: `id` is the per-user stream id
 * a client resumes from with `last_event_id`.
 */

const { viewer: _viewer, ...withoutViewer } = TweetFields

/** A new tweet in the home timeline: the tweet as every API shows it, without the reader's own state. */
export const LiveTweet = Type.Object(withoutViewer)
export type LiveTweet = Type.Static<typeof LiveTweet>

/** A tweet the client may have been sent live was deleted: drop it. */
export const LiveTweetDeleted = Type.Object({ tweet_id: Id }, { additionalProperties: false })
export type LiveTweetDeleted = Type.Static<typeof LiveTweetDeleted>

const eventFrame = (type: string, data: Type.TSchema, description: string) => Type.Object({
  type: Type.Literal(type),
  id: Type.String({ pattern: '^[0-9]+-[0-9]+$', description: 'the per-user stream id; send it back as last_event_id to resume after it' }),
  data,
}, { description })

/** Every frame the server sends, by type. */
export const liveFrames = {
  ready: Type.Object({
    type: Type.Literal('ready'),
    user_id: Id,
    last_event_id: Type.String({ description: 'the events after this one follow (the replay, then live)' }),
    missed_events: Type.Boolean({ description: 'true when the replay no longer reaches back to the last_event_id sent: reload over REST' }),
  }, { description: 'The answer to the first auth message.' }),
  auth_renewed: Type.Object({ type: Type.Literal('auth_renewed') }, { description: 'A later auth message (a fresh token) was accepted.' }),
  notification: eventFrame('notification', Type.Object({}, { description: 'an item of GET /notifications/{user_id}' }), 'A new notification.'),
  message: eventFrame('message', Type.Object({}, { description: 'a message as POST /messages/ answers it' }), 'A direct message, to both sides of the conversation.'),
  tweet: eventFrame('tweet', LiveTweet, 'A new tweet in the home timeline, by someone followed (ordinary or high-follower) or by the user; never from someone muted or blocked either way.'),
  tweet_deleted: eventFrame('tweet_deleted', LiveTweetDeleted, 'A tweet this user was sent as a tweet frame was deleted.'),
} as const

/** The one message a client sends: first, and again with a fresh token before the current one expires. */
export const LiveAuth = Type.Object({
  type: Type.Literal('auth'),
  token: Type.String({ minLength: 1, maxLength: 4096, description: 'an access token' }),
  last_event_id: Type.Optional(Type.String({ maxLength: 64, description: 'the id of the last event frame received, to replay what came after it' })),
}, { additionalProperties: false })
export type LiveAuth = Type.Static<typeof LiveAuth>
