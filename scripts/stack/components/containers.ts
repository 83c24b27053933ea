import path from 'node:path'
import type { StartedTestContainer } from 'testcontainers'
import { stack } from '../config.ts'
import { say } from '../process.ts'
import { renderConfig, webRoot } from './nginx.ts'

/*
 * For contributors with a Docker engine: the same servers as the local stack, as containers on the
 * host network (so every address and port is the one the local stack uses), started with
 * testcontainers. Containers live as long as the process that started them (`npm start` or
 * `npm test`); testcontainers' reaper removes them after it exits. Linux hosts only (host network).
 */
export async function startInfraContainers(): Promise<() => Promise<void>> {
  const { GenericContainer, Wait } = await import('testcontainers')
  const { postgres, redis, kafka, kafkaController, elasticsearch } = stack.ports
  say('starting PostgreSQL, Redis, Kafka and Elasticsearch containers (testcontainers)...')
  const started: StartedTestContainer[] = await Promise.all([
    new GenericContainer('postgres:15')
      .withNetworkMode('host')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', PGPORT: String(postgres) })
      .withCommand(['postgres', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'])
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7')
      .withNetworkMode('host')
      .withCommand(['redis-server', '--bind', '127.0.0.1', '--port', String(redis), '--appendonly', 'yes'])
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start(),
    new GenericContainer('apache/kafka:3.9.1')
      .withNetworkMode('host')
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${kafka},CONTROLLER://127.0.0.1:${kafkaController}`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafka}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${kafkaController}`,
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: '1000',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_HEAP_OPTS: `-Xms${stack.heap.kafka} -Xmx${stack.heap.kafka}`,
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer('docker.elastic.co/elasticsearch/elasticsearch:8.19.7')
      .withNetworkMode('host')
      .withEnvironment({
        'discovery.type': 'single-node',
        'network.host': '127.0.0.1',
        'http.port': String(elasticsearch),
        'transport.port': String(elasticsearch + 100),
        'xpack.security.enabled': 'false',
        ES_JAVA_OPTS: `-Xms${stack.heap.elasticsearch} -Xmx${stack.heap.elasticsearch}`,
      })
      .withWaitStrategy(Wait.forHttp('/_cluster/health?wait_for_status=yellow', elasticsearch).forStatusCode(200))
      .withStartupTimeout(180_000)
      .start(),
  ])
  return async () => {
    await Promise.all(started.map((container) => container.stop()))
  }
}

/** The gateway as a container: the official image with the same rendered configuration. */
export async function startGatewayContainer(): Promise<() => Promise<void>> {
  const { GenericContainer } = await import('testcontainers')
  const container = await new GenericContainer('nginx:1.27')
    .withNetworkMode('host')
    .withCopyContentToContainer([{ content: renderConfig({ confDir: '/etc/nginx/njs', downSocket: '/var/run/starling-down.sock', webRoot: '/usr/share/starling/web' }), target: '/etc/nginx/nginx.conf' }])
    .withCopyFilesToContainer(['health.js', 'gateway.js'].map((file) => ({ source: path.join(stack.root, 'nginx', file), target: `/etc/nginx/njs/${file}` })))
    .withCopyDirectoriesToContainer([{ source: webRoot, target: '/usr/share/starling/web' }])
    .start()
  return () => container.stop().then(() => {})
}
