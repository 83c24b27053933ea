import fs from 'node:fs'
import path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { stack } from '../config.ts'
import { run, say, startDaemon, stopDaemon, waitUntil } from '../process.ts'
import { toxiproxyPorts } from './toxiproxy-ports.ts'

const VERSION = '3.9.1'
const home = path.join(stack.cache, `kafka-${VERSION}`)
const lib = path.join(home, 'lib')
const configDir = path.join(stack.dir, 'kafka')
const dataDir = path.join(stack.data, 'kafka')

export const kafkaBrokers = () => `127.0.0.1:${stack.ports.kafka}`

function serverProperties() {
  const { kafka, kafkaController, kafkaFaults } = stack.ports
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${kafkaController}`,
    // FAULTS: a client that came in through toxiproxy is told to keep going through it, so every
    // byte between a service and the broker crosses the proxy (see toxiproxy.ts).
    `listeners=PLAINTEXT://127.0.0.1:${kafka},CONTROLLER://127.0.0.1:${kafkaController},FAULTS://127.0.0.1:${kafkaFaults}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${kafka},FAULTS://127.0.0.1:${toxiproxyPorts().kafka}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,FAULTS:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    // One offsets partition: a consumer group joins in ~0.3 s instead of ~2 s on this single broker.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // Single-node development broker: consumer groups start at once instead of waiting 3 s.
    'group.initial.rebalance.delay.ms=0',
    // Lets tests use short consumer session timeouts, so a killed consumer's partitions move fast.
    'group.min.session.timeout.ms=1000',
    // After a crash the broker re-registers in seconds rather than ~16 s.
    'broker.heartbeat.interval.ms=500',
    'broker.session.timeout.ms=3000',
    // Topics come from the catalog in @starling/shared, with their partition counts.
    'auto.create.topics.enable=false',
    'log.retention.hours=168',
  ].join('\n') + '\n'
}

const LOG4J = `log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${path.join(stack.logs, 'kafka-server.log')}
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
`

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
    fs.mkdirSync(configDir, { recursive: true })
    const properties = path.join(configDir, 'server.properties')
    fs.writeFileSync(properties, serverProperties())
    fs.writeFileSync(path.join(configDir, 'log4j.properties'), LOG4J)
    const java = ['-cp', `${lib}/*`]
    if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
      fs.mkdirSync(dataDir, { recursive: true })
      const clusterId = run('java', [...java, 'kafka.tools.StorageTool', 'random-uuid']).trim().split('\n').pop()!
      run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, '--ignore-formatted'])
    }
    startDaemon({
      name: 'kafka',
      command: 'java',
      args: [`-Xms${stack.heap.kafka}`, `-Xmx${stack.heap.kafka}`, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20',
        `-Dkafka.logs.dir=${stack.logs}`, `-Dlog4j.configuration=file:${path.join(configDir, 'log4j.properties')}`, ...java, 'kafka.Kafka', properties],
    })
  },
  ready: () => waitUntil('kafka', async () => {
    const admin = new Kafka({ clientId: 'stack-ready', brokers: [kafkaBrokers()], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin()
    try {
      await admin.connect()
      await admin.listTopics()
      return true
    } finally {
      await admin.disconnect()
    }
  }),
  stop: () => stopDaemon('kafka', { graceMs: 30_000 }),
}
