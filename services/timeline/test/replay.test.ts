import { randomUUID } from 'node:crypto'
import { Kafka, logLevel, Partitioners, type KafkaMessage } from 'kafkajs'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { topics } from '@starling/shared'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { gateway } from '../../../test/setup/http.ts'
import { follow, post, timeline, timelineIds, untilTimeline } from '../../../test/setup/social.ts'

const kafka = new Kafka({ clientId: 'replay-test', brokers: testEnv.kafkaBrokers, logLevel: logLevel.NOTHING })
const redis = new Redis(testEnv.redisUrl)
afterAll(() => redis.disconnect())
const TOPICS = [topics.users.name, topics.graph.name, topics.tweets.name, topics.engagements.name]

/** Every message so far on the topics whose value mentions one of `ids`, in partition order. */
async function historyOf(ids: string[]) {
  const admin = kafka.admin()
  await admin.connect()
  const ends = new Map<string, number>()
  for (const topic of TOPICS) {
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, Number(p.high))
  }
  await admin.disconnect()
  const found: { topic: string; message: KafkaMessage }[] = []
  const done = new Set([...ends].filter(([, high]) => high === 0).map(([key]) => key))
  const consumer = kafka.consumer({ groupId: `replay-${randomUUID()}`, maxWaitTimeInMs: 200 })
  await consumer.connect()
  await consumer.subscribe({ topics: TOPICS, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const text = message.value?.toString() ?? ''
      if (ids.some((id) => text.includes(`"${id}"`))) found.push({ topic, message })
      if (Number(message.offset) + 1 >= ends.get(`${topic}/${partition}`)!) done.add(`${topic}/${partition}`)
    },
  })
  await waitFor(() => done.size === ends.size, { timeoutMs: 30_000, what: 'the topics read to their ends' })
  await consumer.disconnect()
  return found
}

/** Resolves once the timeline service has committed everything on its topics. */
async function timelineCaughtUp() {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await waitFor(async () => {
      for (const topic of TOPICS) {
        const ends = await admin.fetchTopicOffsets(topic)
        const [committed] = await admin.fetchOffsets({ groupId: 'timeline-fanout', topics: [topic] })
        for (const end of ends) {
          const at = committed!.partitions.find((p) => p.partition === end.partition)
          // -1 means nothing committed yet, which for an empty partition is not behind.
          if (Math.max(0, Number(at?.offset ?? -1)) < Number(end.high)) return false
        }
      }
      return true
    }, { timeoutMs: 30_000, what: 'the timeline consumer to catch up' })
  } finally {
    await admin.disconnect()
  }
}

describe('redelivery and replay', () => {
  it('leaves timelines and counts exactly as they were when every event of a world is delivered again', async () => {
    const [reader, a, b] = await Promise.all([newAccount('reader'), newAccount('a'), newAccount('b')])
    await timelineIds(reader)
    await follow(reader, a)
    await follow(reader, b)
    const t1 = await post(a, 'one')
    const t2 = await post(a, 'two')
    await post(b, 'a reply', { reply_to_id: t1.id })
    await gateway(`/tweets/${t2.id}/retweet`, { method: 'POST', token: b.token })
    await gateway(`/tweets/${t1.id}/like`, { method: 'POST', token: b.token })
    await untilTimeline(reader, (ids) => ids.length === 4, 'four entries')
    await timelineCaughtUp()
    const before = (await timeline(reader)).body.items
    const membersBefore = await redis.zrange(`tl:home:${reader.id}`, '0', '-1')
    expect(before.find((i: { id: string }) => i.id === t1.id)).toMatchObject({ reply_count: 1, like_count: 1 })

    const history = await historyOf([reader.id, a.id, b.id])
    expect(history.length).toBeGreaterThanOrEqual(10)
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
    await producer.connect()
    for (const { topic, message } of history) {
      await producer.send({ topic, messages: [{ key: message.key, value: message.value, headers: message.headers }] })
    }
    await producer.disconnect()
    await timelineCaughtUp()

    expect((await timeline(reader)).body.items).toEqual(before)
    expect(await redis.zrange(`tl:home:${reader.id}`, '0', '-1')).toEqual(membersBefore)
  })
})
