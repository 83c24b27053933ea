import type { Relation } from '@starling/shared/replicas'
import { createMemoryReplicaRepository } from '@starling/shared/testing'
import type { Candidate } from './notification-rules.ts'
import type { NotificationRepository } from './notification.repository.ts'
import type { NotificationItem } from './notification.schemas.ts'

interface Row extends Omit<Candidate, 'recipientId' | 'actorId'> {
  id: string
  recipientId: string
  actorId: string
  sourceEventId: string
  read: boolean
}

/**
 * The notification database in memory, for unit tests of the rules: the inboxes (with the
 * visibility the SQL applies when storing and reading: blocks either way, mutes, deleted tweets),
 * the processed events, and the replicas' accounts, blocks and mutes the inboxes read.
 */
export function createMemoryInbox() {
  const rows: Row[] = []
  const claimed = new Set<string>()
  const deletedTweets = new Set<string>()
  const replicas = createMemoryReplicaRepository()
  const { users: accounts, relations } = replicas.tables
  let lastId = 1_000_000n

  const holds = (relation: Relation, actor: string, subject: string) => relations.has(`${relation}:${actor}>${subject}`)
  const visible = (recipient: string, actor: string, tweet: string | null) =>
    !holds('blocks', recipient, actor) && !holds('blocks', actor, recipient) && !holds('mutes', recipient, actor)
    && (tweet === null || !deletedTweets.has(tweet))
  const shown = (row: Row) => visible(row.recipientId, row.actorId, row.tweetId)
  const newestFirst = (a: Row, b: Row) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)
  const toItem = (row: Row): NotificationItem => {
    const actor = accounts.get(row.actorId)
    return {
      id: row.id, type: row.type,
      actor: { id: row.actorId, username: actor?.username ?? '', display_name: actor?.display_name ?? '' },
      ...(row.tweetId ? { tweet_id: row.tweetId } : {}), ...(row.conversationId ? { conversation_id: row.conversationId } : {}),
      created_at: new Date(row.createdAt).toISOString(), read: row.read,
    }
  }

  const notifications: NotificationRepository = {
    async claim(consumer, eventId) {
      const key = `${consumer}:${eventId}`
      if (claimed.has(key)) return false
      claimed.add(key)
      return true
    },
    async insert(c, eventId) {
      if (!visible(c.recipientId, c.actorId, c.tweetId)) return undefined
      if (rows.some((row) => row.recipientId === c.recipientId && row.sourceEventId === eventId && row.type === c.type)) return undefined
      const id = String(++lastId)
      rows.push({ ...c, id, sourceEventId: eventId, read: false })
      return id
    },
    async items(ids) {
      return rows.filter((row) => ids.includes(row.id)).sort((a, b) => -newestFirst(a, b)).map((row) => ({ recipientId: row.recipientId, item: toItem(row) }))
    },
    async retract(r) {
      const taken = rows.filter((row) => row.recipientId === r.recipientId && row.type === r.type && row.actorId === r.actorId && row.tweetId === r.tweetId && !row.read)
      for (const row of taken) rows.splice(rows.indexOf(row), 1)
    },
    async deleteTweet(tweetId) {
      deletedTweets.add(tweetId)
      for (const row of rows.filter((r) => r.tweetId === tweetId)) rows.splice(rows.indexOf(row), 1)
    },
    async page(recipientId, window) {
      return rows
        .filter((row) => row.recipientId === recipientId && shown(row))
        .filter((row) => !window.types || window.types.includes(row.type))
        .filter((row) => !window.before || BigInt(row.id) < BigInt(window.before))
        .sort(newestFirst).slice(0, window.limit).map(toItem)
    },
    async unreadCount(recipientId) {
      return rows.filter((row) => row.recipientId === recipientId && !row.read && shown(row)).length
    },
    async markRead(recipientId, upTo) {
      for (const row of rows) if (row.recipientId === recipientId && (upTo === undefined || BigInt(row.id) <= BigInt(upTo))) row.read = true
    },
  }

  return { notifications, replicas, visible }
}
