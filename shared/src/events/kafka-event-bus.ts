import { setTimeout as sleep } from 'node:timers/promises'
import { Kafka, logLevel, Partitioners, type Consumer, type IHeaders, type KafkaMessage, type LogEntry, type Message, type PartitionMetadata } from 'kafkajs'
import type { Logger } from 'pino'
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import { type TopicSpec, deadLetterTopic, partitionsOf } from './catalog.ts'
import { decodeEvent, validateEvent, type EventEnvelope } from './envelope.ts'
import { PoisonEventError, type EventBus, type EventContext, type Subscription } from './event-bus.ts'
import { patchKafkajsTimerLoop } from './kafkajs-timer-fix.ts'
import { isTransientError } from './transient.ts'

patchKafkajsTimerLoop()

export interface KafkaEventBusOptions {
  brokers: string[]
  clientId: string
  logger: Logger
  metrics?: Registry
  /** Attempts for a handler error that is neither poison nor transient, before dead-lettering. */
  maxAttempts?: number
  retryBackoffMs?: number
  /** Ceiling of the backoff while a dependency is down; such events are retried until it is back. */
  maxTransientBackoffMs?: number
  /** Broker-side minimum is 6 s; lower means a dead consumer's partitions move sooner. */
  sessionTimeoutMs?: number
}

/** The longest pause before a consumer tries again while Kafka is away; retrying costs a connection attempt. */
const MAX_RESTART_PAUSE_MS = 5000

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
}

function kafkaLogger(logger: Logger) {
  return () => ({ level, log }: LogEntry) => {
    const { message, ...extra } = log
    logger[LEVELS[level] ?? 'info']({ kafka: extra }, message)
  }
}

const toMessage = (event: EventEnvelope) => ({
  key: event.key,
  value: JSON.stringify(event),
  headers: { 'event-id': event.id, 'event-type': event.type, 'event-version': String(event.version) },
})

/** A batch split into groups that may run at once; each group keeps its messages' order. */
function inGroups(messages: KafkaMessage[], order: 'key' | 'none'): KafkaMessage[][] {
  if (order === 'none') return messages.map((m) => [m])
  const groups = new Map<string, KafkaMessage[]>()
  for (const message of messages) {
    const key = message.key?.toString('latin1') ?? ''
    const group = groups.get(key)
    if (group) group.push(message)
    else groups.set(key, [message])
  }
  return [...groups.values()]
}

export function createKafkaEventBus(options: KafkaEventBusOptions): EventBus {
  const { logger, maxAttempts = 3, retryBackoffMs = 200, maxTransientBackoffMs = 5000, sessionTimeoutMs = 10_000 } = options
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogger(logger.child({ component: 'kafka' })),
    retry: { initialRetryTime: 100, retries: 8 },
  })
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // The Java client's murmur2 partitioner, so keys land where other clients would put them.
    createPartitioner: Partitioners.DefaultPartitioner,
  })
  let producerConnected: Promise<void> | undefined
  const connectProducer = () =>
    (producerConnected ??= producer.connect().catch((error: unknown) => {
      producerConnected = undefined
      throw error
    }))
  const consumers = new Set<{ stop(): Promise<void> }>()

  const outcomes = options.metrics && new Counter({
    name: 'events_consumed_total',
    help: 'Events taken from Kafka, by topic, consumer group and outcome (handled, dead_lettered).',
    labelNames: ['topic', 'group', 'outcome'] as const,
    registers: [options.metrics],
  })

  // One hop of the pipeline: from the event's creation in its service to a consumer taking it up
  // (the outbox, the relay, Kafka and the consumer's fetch and queue), by group and topic.
  const delay = options.metrics && new Histogram({
    name: 'event_consume_delay_seconds',
    help: 'From an event being created (occurred_at) to a consumer group\'s handler starting on it.',
    labelNames: ['group', 'topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [options.metrics],
  })

  const lag = options.metrics && new Gauge({
    name: 'kafka_consumer_lag_messages',
    help: 'Messages behind the end of the partition when the last batch was taken, by group, topic and partition.',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [options.metrics],
  })

  /*
   * One send per partition. kafkajs 2.2.4 retries a send that spans several leaders by sending
   * again only to the brokers that have not answered yet; a partition whose leader moved to a
   * broker that had answered (its old leader was killed mid-send) is then reported sent and never
   * is (src/producer/sendMessages.js, brokersWithoutResponse). A send to one partition has one
   * leader to find again. Found by the cluster fault case that kills a partition leader.
   * The partition is the producer's own choice (its murmur2 partitioner), over the topic's
   * partitions as the brokers report them, read again every minute.
   */
  const choosePartition = Partitioners.DefaultPartitioner()
  const admin = kafka.admin()
  let adminConnected: Promise<void> | undefined
  const partitionsKnown = new Map<string, { at: number; partitions: Promise<PartitionMetadata[]> }>()
  function partitionsOfTopic(topic: string) {
    const known = partitionsKnown.get(topic)
    if (known && Date.now() - known.at < 60_000) return known.partitions
    const partitions = (async () => {
      await (adminConnected ??= admin.connect().catch((error: unknown) => {
        adminConnected = undefined
        throw error
      }))
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
      return metadata.topics[0]!.partitions
    })()
    partitionsKnown.set(topic, { at: Date.now(), partitions })
    partitions.catch(() => partitionsKnown.delete(topic))
    return partitions
  }

  async function publish(topic: string, events: EventEnvelope[]) {
    if (events.length === 0) return
    events.forEach(validateEvent)
    await connectProducer()
    const partitionMetadata = await partitionsOfTopic(topic)
    const byPartition = new Map<number, Message[]>()
    for (const message of events.map(toMessage)) {
      const partition = choosePartition({ topic, partitionMetadata, message })
      const messages = byPartition.get(partition) ?? byPartition.set(partition, []).get(partition)!
      messages.push({ ...message, partition })
    }
    // Settled, not raced: a caller that retries on the first failure (the relay) must not send to
    // a partition while this call's own send to it is still retrying. Two sends in flight to one
    // partition interleave the idempotent producer's sequence numbers (kafkajs takes a failed
    // send's back), and a batch given numbers another already used is taken by the broker for a
    // duplicate: acknowledged, and not written.
    const sent = await Promise.allSettled([...byPartition.values()].map((messages) => producer.send({ topic, acks: -1, messages })))
    const failed = sent.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
  }

  async function deadLetter(group: string, context: EventContext, message: KafkaMessage, error: unknown) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    logger.error({ group, ...context, err: error }, 'event dead-lettered')
    const headers: IHeaders = {
      ...message.headers,
      'dlq-source-topic': context.topic,
      'dlq-source-partition': String(context.partition),
      'dlq-source-offset': context.offset,
      'dlq-group': group,
      'dlq-error': reason.slice(0, 1000),
      'dlq-failed-at': new Date().toISOString(),
    }
    await connectProducer()
    await producer.send({ topic: deadLetterTopic.name, acks: -1, messages: [{ key: message.key, value: message.value, headers }] })
    outcomes?.inc({ topic: context.topic, group, outcome: 'dead_lettered' })
  }

  /** Handles one message; false when the consumer stopped before the message was done. */
  async function processMessage(
    subscription: Subscription, context: EventContext, message: KafkaMessage,
    heartbeat: () => Promise<void>, alive: () => boolean,
  ): Promise<boolean> {
    let event: EventEnvelope
    try {
      event = decodeEvent(message.value)
    } catch (error) {
      await deadLetter(subscription.group, context, message, error)
      return true
    }
    delay?.observe({ group: subscription.group, topic: context.topic }, Math.max(0, Date.now() - Date.parse(event.occurred_at)) / 1000)
    let transientBackoff = retryBackoffMs
    for (let attempt = 1; ; attempt++) {
      try {
        await subscription.handle(event, context)
        outcomes?.inc({ topic: context.topic, group: subscription.group, outcome: 'handled' })
        return true
      } catch (error) {
        const transient = isTransientError(error)
        if (error instanceof PoisonEventError || (!transient && attempt >= maxAttempts)) {
          await deadLetter(subscription.group, context, message, error)
          return true
        }
        const wait = transient ? transientBackoff : retryBackoffMs * 2 ** (attempt - 1)
        transientBackoff = Math.min(transientBackoff * 2, maxTransientBackoffMs)
        logger.warn({ group: subscription.group, ...context, attempt, transient, err: error }, 'event handler failed; retrying')
        await sleep(wait)
        if (!alive()) return false
        await heartbeat()
      }
    }
  }

  async function subscribe(subscription: Subscription) {
    let stopped = false
    let current: Consumer | undefined
    let restart: NodeJS.Timeout | undefined
    let backoffMs = 1000

    /**
     * A consumer kafkajs gave up on is replaced by a new one, whatever the error, with a growing
     * pause while Kafka stays away: giving up would leave a worker that looks alive and does nothing.
     */
    const dead = (of: Consumer | undefined) => (error: unknown) => {
      // Once per consumer (kafkajs may report its end twice), and never after stop().
      if (stopped || of !== current || restart) return
      logger.error({ err: error, group: subscription.group, retryInMs: backoffMs }, 'consumer stopped; starting a new one')
      restart = setTimeout(() => {
        restart = undefined
        // `current` as it is when start() fails: the consumer start() made, so that its failure (Kafka
        // still away at connect) schedules the next attempt. Bound before the call, it named the old
        // consumer, whose failures are ignored, and the group was left with no member for good.
        start().catch((error: unknown) => dead(current)(error))
      }, backoffMs)
      backoffMs = Math.min(backoffMs * 2, MAX_RESTART_PAUSE_MS)
    }

    async function start() {
      await current?.disconnect().catch(() => undefined)
      const consumer = kafka.consumer({
        groupId: subscription.group,
        sessionTimeout: sessionTimeoutMs,
        heartbeatInterval: Math.floor(sessionTimeoutMs / 5),
        // How long members get to rejoin; a dead member is evicted after min(this, sessionTimeout).
        rebalanceTimeout: Math.min(sessionTimeoutMs, 10_000),
        // The broker answers a fetch as soon as data arrives; this only bounds idle polls and disconnect time.
        maxWaitTimeInMs: 500,
        // kafkajs restarts a crashed consumer only for errors it deems retriable; those it does not
        // (a broker away mid-rejoin ends in "group coordinator not found") are handled below.
        // Each pause at most MAX_RESTART_PAUSE_MS (kafkajs' default is 30 s), so a consumer is back
        // within seconds of Kafka's return rather than after a half-minute wait begun while it was away.
        retry: {
          initialRetryTime: 100, retries: 8, maxRetryTime: MAX_RESTART_PAUSE_MS,
          restartOnFailure: async (error: Error) => {
            logger.warn({ err: error, group: subscription.group }, 'consumer crashed; restarting it')
            return true
          },
        },
      })
      current = consumer
      await consumer.connect()
      await consumer.subscribe({ topics: subscription.topics, fromBeginning: subscription.fromBeginning ?? true })
      consumer.on(consumer.events.CRASH, ({ payload }) => { if (!payload.restart) dead(consumer)(payload.error) })
      consumer.on(consumer.events.GROUP_JOIN, () => { backoffMs = 1000 })
      // Not awaited: run() resolves once the group has taken this member in, which after a crash
      // waits for the dead member's session to expire (sessionTimeoutMs). The process is up at once
      // and consumes as soon as the group rebalances.
      void consumer.run({
        // Every partition at once unless the subscriber says otherwise: kafkajs fetches the next
        // batches only after all of a fetch's are done, so batches taken in waves add a wave's
        // time to every event behind them.
        partitionsConsumedConcurrently: subscription.concurrency ?? partitionsOf(subscription.topics),
        // Commits only offsets resolved below, i.e. of messages whose handler finished.
        autoCommit: true,
        autoCommitInterval: 1000,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
          const alive = () => isRunning() && !isStale()
          lag?.set({ group: subscription.group, topic: batch.topic, partition: batch.partition }, Number(batch.offsetLag()))
          const contextOf = (message: KafkaMessage) => ({ topic: batch.topic, partition: batch.partition, offset: message.offset })
          if (subscription.order === 'key' || subscription.order === 'none') {
            if (!alive()) return
            const finished = new Set<string>()
            await Promise.all(inGroups(batch.messages, subscription.order).map(async (group) => {
              for (const message of group) {
                if (!alive() || !(await processMessage(subscription, contextOf(message), message, heartbeat, alive))) return
                finished.add(message.offset)
              }
            }))
            // Up to the first message left unfinished by a stop; it and the rest come again.
            const done = batch.messages.findIndex((m) => !finished.has(m.offset))
            const last = batch.messages[(done === -1 ? batch.messages.length : done) - 1]
            if (last) resolveOffset(last.offset)
            await commitOffsetsIfNecessary()
            if (alive()) await heartbeat()
            return
          }
          for (const message of batch.messages) {
            if (!alive()) return
            if (!(await processMessage(subscription, contextOf(message), message, heartbeat, alive))) return
            resolveOffset(message.offset)
            await commitOffsetsIfNecessary()
            await heartbeat()
          }
        },
      }).catch(dead(consumer))
    }

    // Kafka away at the start is met as later on: a new consumer after a pause, rather than an
    // error that ends the worker.
    await start().catch((error: unknown) => dead(current)(error))
    const handle = {
      stop: async () => {
        stopped = true
        clearTimeout(restart)
        consumers.delete(handle)
        await current?.disconnect()
      },
    }
    consumers.add(handle)
    return handle
  }

  const ping = kafkaProbe(options.brokers, options.clientId)

  async function close() {
    await Promise.all([...consumers].map((c) => c.stop()))
    await producer.disconnect()
    if (adminConnected) await admin.disconnect()
  }

  return { publish, subscribe, ping, close }
}

/** Resolves when the brokers answer; for readiness, so it answers fast and never retries. */
export function kafkaProbe(brokers: string[], clientId = 'starling') {
  const probe = new Kafka({ clientId: `${clientId}-probe`, brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } })
  return async () => {
    const admin = probe.admin()
    try {
      await admin.connect()
      await admin.describeCluster()
    } finally {
      await admin.disconnect()
    }
  }
}

/**
 * Creates missing topics with the catalog's partition counts; existing topics are left as they are.
 * Resolves once every broker named answers for every partition with a leader: on a cluster a new
 * topic reaches each broker's metadata a moment apart, and a client that asks another broker in
 * that moment is told the topic does not exist.
 */
export async function ensureTopics(brokers: string[], specs: TopicSpec[], replicationFactor = 1) {
  const kafka = new Kafka({ clientId: 'starling-topics', brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  let missing: TopicSpec[]
  try {
    const existing = new Set(await admin.listTopics())
    missing = specs.filter((t) => !existing.has(t.name))
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: false, topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor })) })
    }
  } finally {
    await admin.disconnect()
  }
  if (missing.length > 0) await Promise.all(brokers.map((broker) => untilLed(broker, missing.map((t) => t.name))))
  return missing.map((t) => t.name)
}

/** Waits (up to 30 s) until `broker` itself reports a leader for every partition of `topics`. */
async function untilLed(broker: string, topics: string[]) {
  const admin = new Kafka({ clientId: 'starling-topics', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin()
  await admin.connect()
  try {
    for (let attempt = 0; ; attempt++) {
      const led = await admin.fetchTopicMetadata({ topics }).then(
        (metadata) => metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
        () => false,
      )
      if (led) return
      if (attempt >= 300) throw new Error(`topics ${topics.join(', ')} have no leader on ${broker} after 30 s`)
      await sleep(100)
    }
  } finally {
    await admin.disconnect()
  }
}
