import type { Result } from 'ioredis'
import type { RedisClient } from '@starling/shared/db'

/**
 * Who has an open socket on any instance, or had one within the grace: sorted sets, each user
 * scored by when their presence runs out. Every instance marks the users it holds at each ping, so
 * a crashed instance's users drop out within the grace; the grace after a socket closes lets a
 * reconnecting client replay what came meanwhile. Redis's clock decides, one clock for every instance.
 *
 * The users are spread over BUCKETS sets by a hash of their id, each its own hash tag: on a Redis
 * Cluster the sets live on every node, and no mark or lookup makes one node serve them all.
 */
const BUCKETS = 16
const keyOf = (bucket: number) => `live:present:{${bucket}}`
const bucketOf = (userId: string) => {
  let hash = 0
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0
  return hash % BUCKETS
}
/** `userIds` grouped by the set each is kept in. */
function byBucket(userIds: string[]) {
  const groups = new Map<number, string[]>()
  for (const id of userIds) {
    const bucket = bucketOf(id)
    const group = groups.get(bucket)
    if (group) group.push(id)
    else groups.set(bucket, [id])
  }
  return [...groups]
}
/** The set that holds the user's presence, for tests that look into Redis. */
export const presenceKeyOf = (userId: string) => keyOf(bucketOf(userId))
const everyBucket = Array.from({ length: BUCKETS }, (_, bucket) => bucket)

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`

// ARGV[1] the grace in ms, then the users. Drops whoever ran out meanwhile, so the set stays the
// size of who is online.
const MARK = `${NOW}
local until_ = string.format('%d', now + tonumber(ARGV[1]))
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], until_, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
return #ARGV - 1`

const COUNT = `${NOW}
return redis.call('ZCOUNT', KEYS[1], string.format('(%d', now), '+inf')`

// The present among ARGV, or everyone present when ARGV is empty.
const PRESENT = `${NOW}
if #ARGV == 0 then return redis.call('ZRANGE', KEYS[1], string.format('(%d', now), '+inf', 'BYSCORE') end
local scores = redis.call('ZMSCORE', KEYS[1], unpack(ARGV))
local present = {}
for i, score in ipairs(scores) do
  if score and tonumber(score) > now then present[#present + 1] = ARGV[i] end
end
return present`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    presenceMark(key: string, graceMs: number, ...userIds: string[]): Result<number, Context>
    presenceCount(key: string): Result<number, Context>
    presenceAmong(key: string, ...userIds: string[]): Result<string[], Context>
  }
}

const scripted = new WeakSet<RedisClient>()
// unpack() takes a few thousand values at most (Lua's C stack): larger lists go in slices.
const SLICE = 1000

export function createPresenceStore(redis: RedisClient, options: { graceSeconds: number }) {
  if (!scripted.has(redis)) {
    redis.defineCommand('presenceMark', { numberOfKeys: 1, lua: MARK })
    redis.defineCommand('presenceCount', { numberOfKeys: 1, lua: COUNT })
    redis.defineCommand('presenceAmong', { numberOfKeys: 1, lua: PRESENT })
    scripted.add(redis)
  }
  const slices = (ids: string[]) => Array.from({ length: Math.ceil(ids.length / SLICE) }, (_, i) => ids.slice(i * SLICE, (i + 1) * SLICE))
  return {
    /** The users are present for the grace from now. */
    async mark(userIds: string[]) {
      await Promise.all(byBucket(userIds).map(async ([bucket, ids]) => {
        for (const slice of slices(ids)) await redis.presenceMark(keyOf(bucket), options.graceSeconds * 1000, ...slice)
      }))
    },
    /** How many users are present: O(log n). */
    async count() {
      const counts = await Promise.all(everyBucket.map((bucket) => redis.presenceCount(keyOf(bucket))))
      return counts.reduce((sum, n) => sum + n, 0)
    },
    /** Which of these users are present: O(users). */
    async among(userIds: string[]): Promise<string[]> {
      const found = await Promise.all(byBucket(userIds).flatMap(([bucket, ids]) => slices(ids).map((slice) => redis.presenceAmong(keyOf(bucket), ...slice))))
      return found.flat()
    },
    /** Everyone present: O(present). */
    async all() {
      return (await Promise.all(everyBucket.map((bucket) => redis.presenceAmong(keyOf(bucket))))).flat()
    },
  }
}
export type PresenceStore = ReturnType<typeof createPresenceStore>
