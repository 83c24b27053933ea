import { randomUUID } from 'node:crypto'
import { Kafka, logLevel, Partitioners, type KafkaMessage } from 'kafkajs'
import pg from 'pg'
import { patchKafkajsTimerLoop } from '@starling/shared/events/kafka'
import { waitFor } from '@starling/shared/testing'
import { testEnv } from './env.ts'

// The tests' own clients idle most of the run: without this each connection spins a 1 ms timer.
patchKafkajsTimerLoop()

/** The raw client, for what services never do on purpose: read whole histories, redeliver. */
export const testKafka = new Kafka({ clientId: 'starling-tests', brokers: testEnv.kafkaBrokers, logLevel: logLevel.NOTHING })

export interface Recorded {
  topic: string
  message: KafkaMessage
  /** The decoded envelope. */
  event: { id: string; type: string; payload: Record<string, unknown> }
}

/** Every message so far on `topics` whose event `keep` accepts, in partition order. */
export async function topicHistory(topics: string[], keep: (event: Recorded['event']) => boolean): Promise<Recorded[]> {
  const admin = testKafka.admin()
  await admin.connect()
  const ends = new Map<string, number>()
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, Number(p.high))
  }
  await admin.disconnect()
  const found: Recorded[] = []
  const done = new Set([...ends].filter(([, high]) => high === 0).map(([key]) => key))
  const consumer = testKafka.consumer({ groupId: `history-${randomUUID()}`, maxWaitTimeInMs: 200 })
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const event = JSON.parse(message.value!.toString()) as Recorded['event']
      if (keep(event)) found.push({ topic, message, event })
      if (Number(message.offset) + 1 >= ends.get(`${topic}/${partition}`)!) done.add(`${topic}/${partition}`)
    },
  })
  await waitFor(() => done.size === ends.size, { timeoutMs: 30_000, what: 'the topics read to their ends' })
  await consumer.disconnect()
  return found
}

/** Publishes the same messages again (same keys, values and headers): a redelivery. */
export async function redeliver(messages: { topic: string; message: KafkaMessage }[]) {
  const producer = testKafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  for (const { topic, message } of messages) {
    await producer.send({ topic, messages: [{ key: message.key, value: message.value, headers: message.headers }] })
  }
  await producer.disconnect()
}

/** Resolves once consumer group `groupId` has committed everything on `topics`. */
export async function groupCaughtUp(groupId: string, topics: string[]) {
  const admin = testKafka.admin()
  await admin.connect()
  try {
    await waitFor(async () => {
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic)
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] })
        for (const end of ends) {
          const at = committed!.partitions.find((p) => p.partition === end.partition)
          // -1 means nothing committed yet, which for an empty partition is not behind.
          if (Math.max(0, Number(at?.offset ?? -1)) < Number(end.high)) return false
        }
      }
      return true
    }, { timeoutMs: 30_000, what: `${groupId} to catch up` })
  } finally {
    await admin.disconnect()
  }
}

const OUTBOX_DATABASES = ['starling_user', 'starling_follower', 'starling_tweet', 'starling_dm', 'starling_media']

/**
 * Resolves once every service's outbox is empty, i.e. everything committed so far is on Kafka. A
 * consumer that has caught up with the topics has only caught up with what was published.
 */
export async function allPublished() {
  const clients = OUTBOX_DATABASES.map((db) => new pg.Client({ connectionString: testEnv.databaseUrl(db) }))
  await Promise.all(clients.map((c) => c.connect()))
  try {
    await waitFor(async () => {
      const counts = await Promise.all(clients.map(async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n))
      return counts.every((n) => n === 0)
    }, { timeoutMs: 30_000, what: 'every outbox to be published' })
  } finally {
    await Promise.all(clients.map((c) => c.end()))
  }
}

/** Every consumer group of the stack's services (README, Topics). */
export const SERVICE_GROUPS = [
  'search-indexer', 'user-profile-counts', 'user-session-revocations', 'user-media', 'follower-users', 'tweet-users', 'tweet-cache', 'tweet-media', 'timeline-fanout',
  'notification-inbox', 'dm-replicas', 'media-processing', 'media-usage',
]

/** How many members the consumer group has now. */
export async function groupMembers(groupId: string) {
  const admin = testKafka.admin()
  await admin.connect()
  try {
    const { groups } = await admin.describeGroups([groupId])
    return groups[0]?.members.length ?? 0
  } finally {
    await admin.disconnect()
  }
}

/** Waits until every service's consumer group has members again and is not rebalancing: each consumer came back. */
export async function untilEveryGroupConsuming(timeoutMs = 60_000) {
  const admin = testKafka.admin()
  await admin.connect()
  try {
    let waiting: string[] = []
    return await waitFor(async () => {
      const { groups } = await admin.describeGroups(SERVICE_GROUPS)
      waiting = groups.filter((g) => g.state !== 'Stable' || g.members.length === 0).map((g) => `${g.groupId} (${g.state}, ${g.members.length} members)`)
      return waiting.length === 0 ? groups : undefined
    }, { timeoutMs, intervalMs: 500, what: 'every consumer group consuming again' }).catch((error: Error) => {
      throw new Error(`${error.message}; still waiting for ${waiting.join(', ')}`)
    })
  } finally {
    await admin.disconnect()
  }
}
