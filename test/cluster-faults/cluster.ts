import { execFileSync } from 'node:child_process'
import { Kafka, logLevel } from 'kafkajs'
import { patchKafkajsTimerLoop } from '@starling/shared/events/kafka'
import { waitFor } from '@starling/shared/testing'
import { elasticsearch, elasticsearchUrl } from '../../scripts/stack/components/elasticsearch.ts'
import { kafka, kafkaBrokers } from '../../scripts/stack/components/kafka.ts'
import { redis, redisDaemons, redisPortOf } from '../../scripts/stack/components/redis.ts'
import { runningPid } from '../../scripts/stack/process.ts'
import type { Account } from '../setup/accounts.ts'
import { accounts, compare, followSurely, paced, storedTweets, sum, timelineIds, untilFollowsProjected } from '../faults/workload.ts'

/** SIGKILLs a daemon of the stack (its whole process group) and waits until it is gone. */
export async function kill(daemon: string) {
  const pid = runningPid(daemon)
  if (!pid) throw new Error(`${daemon} is not running`)
  process.kill(-pid, 'SIGKILL')
  await waitFor(() => runningPid(daemon) === undefined, { what: `${daemon} gone` })
}

patchKafkajsTimerLoop()

/** The topic every tweet goes through. */
export const TWEETS_TOPIC = 'starling.tweets.v1'

const admin = async () => {
  const client = new Kafka({ clientId: 'cluster-faults', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING }).admin()
  await client.connect()
  return client
}

/** The node leading the partition of `topic` that has taken the most messages: the busiest. */
export async function busiestLeader(topic: string) {
  let found: { partition: number; leader: number } | undefined
  // Asked again while a leadership election (after the last restart) is still going on.
  await waitFor(async () => {
    const client = await admin()
    try {
      const [offsets, metadata] = await Promise.all([client.fetchTopicOffsets(topic), client.fetchTopicMetadata({ topics: [topic] })])
      const busiest = offsets.reduce((a, b) => (BigInt(b.high) > BigInt(a.high) ? b : a))
      const leader = metadata.topics[0]!.partitions.find((p) => p.partitionId === busiest.partition)?.leader ?? -1
      found = leader > 0 ? { partition: busiest.partition, leader } : undefined
      return found !== undefined
    } finally {
      await client.disconnect()
    }
  }, { what: `a leader for every partition of ${topic}`, timeoutMs: 60_000, intervalMs: 500 })
  return found!
}

/** Starts the Kafka nodes that are not running and waits until every partition of `topic` has all its replicas in sync. */
export async function restoreKafka(topic: string) {
  await kafka.start()
  // A killed broker stays in the cluster's metadata for its session timeout, so "three brokers"
  // proves nothing: the replicas back in sync do (asked afresh each time, of any live broker).
  await waitFor(async () => {
    const client = await admin()
    try {
      const metadata = await client.fetchTopicMetadata({ topics: [topic] })
      return metadata.topics[0]?.partitions.every((p) => p.isr.length === p.replicas.length) ?? false
    } finally {
      await client.disconnect()
    }
  }, { what: `every replica of ${topic} back in sync`, timeoutMs: 120_000, intervalMs: 500 })
}

const redisCli = (port: number, ...args: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' })

/** The cluster's masters (serving slots) as some live node sees them: daemon names. */
export function redisMasters(): string[] {
  for (const daemon of redisDaemons()) {
    if (!runningPid(daemon)) continue
    try {
      const lines = redisCli(redisPortOf(daemon)!, 'cluster', 'nodes').trim().split('\n')
      // A master serving slots (fields 9 on), not one marked failed, nor one back from a kill
      // that has not yet been told it is a replica now.
      return lines.map((l) => l.split(' ')).filter((f) => /\bmaster\b/.test(f[2]!) && !/fail/.test(f[2]!) && f.length > 8)
        .map((f) => Number(/:(\d+)@/.exec(f[1]!)![1]))
        .map((port) => redisDaemons().find((d) => redisPortOf(d) === port)!)
    } catch {
      // that node is going away: ask the next
    }
  }
  return []
}

/** Waits until a live node says the cluster is whole (every slot served) without `gone` as a master. */
export async function untilRedisFailedOver(gone: string) {
  await waitFor(() => {
    const alive = redisDaemons().find((d) => d !== gone && runningPid(d))!
    try {
      return /cluster_state:ok/.test(redisCli(redisPortOf(alive)!, 'cluster', 'info')) && redisMasters().length === 3 && !redisMasters().includes(gone)
    } catch {
      return false
    }
  }, { what: `a replica in place of ${gone}`, timeoutMs: 60_000, intervalMs: 200 })
}

/** Starts the Redis servers that are not running (a killed master comes back as a replica) and waits until the cluster is whole. */
export async function restoreRedis() {
  await redis.start()
  await redis.ready()
}

/** Cluster health as Elasticsearch reports it, from a node that is up. */
export async function elasticsearchHealth(nodeUrl = elasticsearchUrl()) {
  const response = await fetch(`${nodeUrl}/_cluster/health`)
  return (await response.json()) as { status: string; number_of_nodes: number }
}

/** Starts the Elasticsearch nodes that are not running and waits until the cluster is green with all three. */
export async function restoreElasticsearch() {
  await elasticsearch.start()
  await elasticsearch.ready()
  await waitFor(async () => {
    const health = await elasticsearchHealth().catch(() => undefined)
    return health?.status === 'green' && health.number_of_nodes === 3
  }, { what: 'Elasticsearch green with three nodes', timeoutMs: 180_000, intervalMs: 1000 })
}

/**
 * Ordinary authors and readers who each follow one of them, every reader active: the world the
 * cases write into and then check, reader by reader.
 */
export async function readersOf(authorCount: number, readersPerAuthor: number) {
  const [authors, readers] = await Promise.all([accounts(authorCount, 'cauthor'), accounts(authorCount * readersPerAuthor, 'creader')])
  await Promise.all(readers.map((r) => timelineIds(r)))
  const follows: [Account, Account][] = readers.map((r, i) => [r, authors[i % authorCount]!])
  await paced(follows.length, 20, (i) => followSurely(...follows[i]!))
  await untilFollowsProjected(follows)
  const authorOf = (reader: Account) => authors[readers.indexOf(reader) % authorCount]!
  /** Each reader's home timeline against their author's acknowledged tweets, and the authors' own lists against them too. */
  const delivered = async (posted: { author: string; id: string }[], mark: string) => sum([
    ...await Promise.all(readers.map(async (r) => compare(posted.filter((t) => t.author === authorOf(r).id).map((t) => t.id), await timelineIds(r)))),
    await storedTweets(authors, mark, posted),
  ])
  return { authors, readers, follows, delivered }
}
