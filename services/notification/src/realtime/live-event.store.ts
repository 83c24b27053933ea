import type { Result } from 'ioredis'
import type { RedisClient } from '@starling/shared/db'

export type LiveKind = 'notification' | 'message' | 'tweet' | 'tweet_deleted'

/** One event for one user: its per-user id, its kind, and its data as JSON text. */
export interface LiveEvent {
  id: string
  kind: LiveKind
  data: string
}

/** What a (re)connecting socket needs: the events after its last one, and what the stream still holds. */
export interface StreamState {
  /** False when the user has no stream (no event yet, or none for longer than the TTL). */
  exists: boolean
  /** The newest id ever given in the stream; 0-0 when none. */
  lastId: string
  /** The oldest id still held; undefined when the stream holds none. */
  firstId: string | undefined
  /** Whether entries were ever trimmed away (by length or age). */
  trimmed: boolean
  events: LiveEvent[]
}

const streamKey = (userId: string) => `live:events:${userId}`
const CHANNEL_PREFIX = 'live:user:'
const channelOf = (userId: string) => `${CHANNEL_PREFIX}${userId}`
const userOfChannel = (channel: string) => (channel.startsWith(CHANNEL_PREFIX) ? channel.slice(CHANNEL_PREFIX.length) : undefined)

// Appends to the user's stream, trims it by length and by age, and publishes the entry with its id,
// all in one step: an event is in the stream before anyone can hear of it, and subscribers hear of
// a user's events in the order of their ids. Exact trims (no ~): a stream holds a few hundred
// entries, and the cap must hold for small streams too. Redis's clock gives the age, as it does the ids.
const APPEND = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'kind', ARGV[3], 'data', ARGV[4])
local now = redis.call('TIME')
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[2])
redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d', oldest))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[5], id .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[4])
return id`

// The stream's state and, when ARGV[1] names an id, the entries after it, read in one step.
const SYNC = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, '0-0', '', 0, {}} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last, first, added, length = '0-0', '', 0, 0
for i = 1, #info, 2 do
  local name, value = info[i], info[i + 1]
  if name == 'last-generated-id' then last = value end
  if name == 'first-entry' and type(value) == 'table' then first = value[1] end
  if name == 'entries-added' then added = value end
  if name == 'length' then length = value end
end
local entries = {}
if ARGV[1] ~= '' then entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+') end
return {1, last, first, added - length, entries}`

type Entry = [id: string, fields: string[]]

declare module 'ioredis' {
  interface RedisCommander<Context> {
    liveAppend(key: string, maxLen: number, ttlMs: number, kind: string, data: string, channel: string): Result<string, Context>
    liveSync(key: string, after: string): Result<[number, string, string, number, Entry[]], Context>
  }
}

const scripted = new WeakSet<RedisClient>()

function fromEntry([id, fields]: Entry): LiveEvent {
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? ''
  return { id, kind: value('kind') as LiveKind, data: value('data') }
}

/** The published form of an event: `<id>\n<kind>\n<data>` (JSON text never holds a raw newline). */
function parseLiveMessage(message: string): LiveEvent | undefined {
  const first = message.indexOf('\n')
  const second = message.indexOf('\n', first + 1)
  if (first < 0 || second < 0) return undefined
  return { id: message.slice(0, first), kind: message.slice(first + 1, second) as LiveKind, data: message.slice(second + 1) }
}

/** The frame a client receives for an event. */
export const frameOf = (event: LiveEvent) => `{"type":${JSON.stringify(event.kind)},"id":${JSON.stringify(event.id)},"data":${event.data}}`

/**
 * Each user's recent live events: a Redis stream per user, capped in length and age, which is both
 * the replay buffer for reconnecting clients and (through PUBLISH) the fan-out to every instance.
 */
export function createLiveEventStore(redis: RedisClient, options: { maxEvents: number; ttlSeconds: number }) {
  if (!scripted.has(redis)) {
    redis.defineCommand('liveAppend', { numberOfKeys: 1, lua: APPEND })
    redis.defineCommand('liveSync', { numberOfKeys: 1, lua: SYNC })
    scripted.add(redis)
  }
  return {
    /** Adds an event for the user and tells every instance; returns its id. */
    append: (userId: string, kind: LiveKind, data: string): Promise<string> =>
      redis.liveAppend(streamKey(userId), options.maxEvents, options.ttlSeconds * 1000, kind, data, channelOf(userId)),

    /** The stream's state, with the events after `after` when given. */
    async sync(userId: string, after?: string): Promise<StreamState> {
      const [exists, lastId, firstId, removed, entries] = await redis.liveSync(streamKey(userId), after ?? '')
      return { exists: exists === 1, lastId, firstId: firstId || undefined, trimmed: removed > 0, events: entries.map(fromEntry) }
    },
  }
}
export type LiveEventStore = ReturnType<typeof createLiveEventStore>

/**
 * This instance's subscription to the users' channels (what APPEND publishes to), on a connection
 * of its own: a subscribing connection can send nothing else. ioredis subscribes again after a
 * reconnect; what was published meanwhile is in the streams.
 */
export function createLiveFeed(subscriber: RedisClient) {
  return {
    subscribe: async (userId: string) => { await subscriber.subscribe(channelOf(userId)) },
    unsubscribe: async (userId: string) => { await subscriber.unsubscribe(channelOf(userId)) },
    /** Calls `listener` with each event published for a user; `malformed` with a message that is not one. */
    onEvent(listener: (userId: string, event: LiveEvent) => void, malformed: (channel: string) => void) {
      subscriber.on('message', (channel: string, message: string) => {
        const userId = userOfChannel(channel)
        const event = parseLiveMessage(message)
        if (userId && event) listener(userId, event)
        else malformed(channel)
      })
    },
    /** Calls `listener` whenever the connection is lost: nothing is heard until it is back. */
    onLost: (listener: () => void) => { subscriber.on('close', listener) },
    /** The connection's state: events are heard while it is `ready`. */
    get status() { return subscriber.status },
    close: () => subscriber.quit().then(() => undefined, () => subscriber.disconnect()),
  }
}
export type LiveFeed = ReturnType<typeof createLiveFeed>
