import fs from 'node:fs'
import path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { stack } from '../config.ts'
import { run, say, startDaemon, stopDaemon, waitUntil } from '../process.ts'
import { toxiproxyPorts } from './toxiproxy-ports.ts'

const VERSION = '3.9.1'
const home = path.join(stack.cache, `kafka-${VERSION}`)
const lib = path.join(home, 'lib')
const java = ['-cp', `${lib}/*`]

/**
 * One Kafka node (broker and controller both, KRaft). The single-node stack has one, as it always
 * had; the clustered topology has three on loopback, each 100 ports above the last, with a data
 * folder of its own, so that switching topologies never mixes their logs.
 */
interface KafkaNode {
  id: number
  daemon: string
  port: number
  controllerPort: number
  configDir: string
  dataDir: string
}

const CLUSTER_SIZE = 3
const clustered = stack.topology === 'cluster'

function nodes(): KafkaNode[] {
  const { kafka, kafkaController } = stack.ports
  if (!clustered) {
    return [{ id: 1, daemon: 'kafka', port: kafka, controllerPort: kafkaController, configDir: path.join(stack.dir, 'kafka'), dataDir: path.join(stack.data, 'kafka') }]
  }
  return Array.from({ length: CLUSTER_SIZE }, (_, i) => ({
    id: i + 1,
    daemon: `kafka-${i + 1}`,
    port: kafka + 100 * i,
    controllerPort: kafkaController + 100 * i,
    configDir: path.join(stack.dir, 'kafka-cluster', `node-${i + 1}`),
    dataDir: path.join(stack.data, 'kafka-cluster', `node-${i + 1}`),
  }))
}

export const kafkaBrokers = () => nodes().map((node) => `127.0.0.1:${node.port}`).join(',')
/** The daemons of the Kafka nodes, by node id (for the fault cases that kill one). */
export const kafkaDaemons = () => nodes().map((node) => node.daemon)
/** Replicas of every topic: one per node, up to three. */
export const kafkaReplication = () => Math.min(nodes().length, 3)

function serverProperties(node: KafkaNode, all: KafkaNode[]) {
  const replicas = kafkaReplication()
  // FAULTS (single node only): a client that came in through toxiproxy is told to keep going
  // through it, so every byte between a service and the broker crosses the proxy (see toxiproxy.ts).
  const faults = clustered ? undefined : { port: stack.ports.kafkaFaults, advertised: toxiproxyPorts().kafka }
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${all.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}${faults ? `,FAULTS://127.0.0.1:${faults.port}` : ''}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}${faults ? `,FAULTS://127.0.0.1:${faults.advertised}` : ''}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${faults ? ',FAULTS:PLAINTEXT' : ''}`,
    `log.dirs=${node.dataDir}`,
    'num.partitions=3',
    // Every topic on every node (up to three), and a write acknowledged only once two have it: with
    // acks=-1 a write the producer saw succeed survives the loss of any one node.
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${Math.min(replicas, 2)}`,
    `offsets.topic.replication.factor=${replicas}`,
    // One offsets partition: a consumer group joins in ~0.3 s instead of ~2 s.
    'offsets.topic.num.partitions=1',
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${Math.min(replicas, 2)}`,
    // Only a replica in sync may lead: a leader elected from behind would drop acknowledged writes.
    'unclean.leader.election.enable=false',
    // Development brokers: consumer groups start at once instead of waiting 3 s.
    'group.initial.rebalance.delay.ms=0',
    // Lets tests use short consumer session timeouts, so a killed consumer's partitions move fast.
    'group.min.session.timeout.ms=1000',
    // After a crash a broker re-registers in seconds rather than ~16 s.
    'broker.heartbeat.interval.ms=500',
    'broker.session.timeout.ms=3000',
    // Topics come from the catalog in @starling/shared, with their partition counts.
    'auto.create.topics.enable=false',
    'log.retention.hours=168',
  ].join('\n') + '\n'
}

const log4j = (node: KafkaNode) => `log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${path.join(stack.logs, `${node.daemon}-server.log`)}
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
`

/** The id every node of a cluster is formatted with: drawn once, kept beside the nodes' data. */
function clusterId(all: KafkaNode[]): string {
  const file = path.join(path.dirname(all[0]!.dataDir), 'cluster-id')
  if (!clustered || !fs.existsSync(file)) {
    const id = run('java', [...java, 'kafka.tools.StorageTool', 'random-uuid']).trim().split('\n').pop()!
    if (!clustered) return id
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, id)
  }
  return fs.readFileSync(file, 'utf8').trim()
}

export const kafka = {
  name: 'kafka',
  /** Fetches the broker jars once into .stack/cache (Maven's own cache makes a re-download cheap). */
  async provision() {
    if (fs.existsSync(path.join(lib, '.complete'))) return
    say(`fetching Kafka ${VERSION} from Maven Central (first run only)...`)
    fs.mkdirSync(lib, { recursive: true })
    run('mvn', ['-B', '-q', '-f', path.join(stack.root, 'scripts/stack/maven/kafka/pom.xml'), 'dependency:copy-dependencies',
      `-DoutputDirectory=${lib}`, '-DincludeScope=runtime'])
    fs.writeFileSync(path.join(lib, '.complete'), VERSION)
  },
  async start() {
    const all = nodes()
    const unformatted = all.filter((node) => !fs.existsSync(path.join(node.dataDir, 'meta.properties')))
    const id = unformatted.length > 0 ? clusterId(all) : undefined
    for (const node of all) {
      fs.mkdirSync(node.configDir, { recursive: true })
      const properties = path.join(node.configDir, 'server.properties')
      fs.writeFileSync(properties, serverProperties(node, all))
      fs.writeFileSync(path.join(node.configDir, 'log4j.properties'), log4j(node))
      if (unformatted.includes(node)) {
        fs.mkdirSync(node.dataDir, { recursive: true })
        run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', id!, '-c', properties, '--ignore-formatted'])
      }
      startDaemon({
        name: node.daemon,
        command: 'java',
        args: [`-Xms${stack.heap.kafka}`, `-Xmx${stack.heap.kafka}`, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20',
          `-Dkafka.logs.dir=${stack.logs}`, `-Dlog4j.configuration=file:${path.join(node.configDir, 'log4j.properties')}`, ...java, 'kafka.Kafka', properties],
      })
    }
  },
  /** Ready when every node is in the cluster's metadata. */
  ready: () => waitUntil('kafka', async () => {
    const admin = new Kafka({ clientId: 'stack-ready', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin()
    try {
      await admin.connect()
      const { brokers } = await admin.describeCluster()
      await admin.listTopics()
      return brokers.length === nodes().length
    } finally {
      await admin.disconnect()
    }
  }),
  stop: async () => {
    for (const node of nodes()) await stopDaemon(node.daemon, { graceMs: 30_000 })
  },
}
