import fs from 'node:fs'
import path from 'node:path'
import { stack } from '../config.ts'
import { ownedDir } from '../provision.ts'
import { run, say, startDaemon, stopDaemon, waitUntil } from '../process.ts'

// The server distribution Elasticsearch publishes to Maven Central for integration tests. It is a
// real node but without the optional modules (see README, "Elasticsearch here").
const VERSION = '8.19.21'
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSION}:zip`
const home = path.join(stack.cache, `elasticsearch-${VERSION}`)
// 8.x runs on Java 17 or later; the machine's default JDK is 17.
const JAVA_HOME = process.env.ES_JAVA_HOME ?? '/usr/lib/jvm/java-17-openjdk-amd64'

/**
 * One Elasticsearch node. The single-node stack has one, as it always had; the clustered topology
 * has three on loopback (HTTP on consecutive ports, transport 100 above), each master-eligible and
 * holding data: two of three are a quorum, so the cluster keeps a master and every shard (one
 * replica per index) when any one is lost. This distribution may lack the voting_only role.
 */
interface EsNode {
  name: string
  daemon: string
  http: number
  transport: number
  configDir: string
  dataDir: string
  logsDir: string
}

const CLUSTER_SIZE = 3
const clustered = stack.topology === 'cluster'

function nodes(): EsNode[] {
  const base = stack.ports.elasticsearch
  if (!clustered) {
    return [{
      name: 'starling-1', daemon: 'elasticsearch', http: base, transport: base + 100,
      configDir: path.join(stack.dir, 'elasticsearch', 'config'), dataDir: path.join(stack.data, 'elasticsearch'), logsDir: path.join(stack.logs, 'elasticsearch'),
    }]
  }
  return Array.from({ length: CLUSTER_SIZE }, (_, i) => ({
    name: `starling-${i + 1}`,
    daemon: `elasticsearch-${i + 1}`,
    http: base + i,
    transport: base + 100 + i,
    configDir: path.join(stack.dir, 'elasticsearch-cluster', `node-${i + 1}`, 'config'),
    dataDir: path.join(stack.data, 'elasticsearch-cluster', `node-${i + 1}`),
    logsDir: path.join(stack.logs, `elasticsearch-${i + 1}`),
  }))
}

/** The first node's URL, for tests and tools that talk to one; the services get every node. */
export const elasticsearchUrl = () => `http://127.0.0.1:${nodes()[0]!.http}`
export const elasticsearchNodes = () => nodes().map((node) => `http://127.0.0.1:${node.http}`).join(',')
export const elasticsearchDaemons = () => nodes().map((node) => node.daemon)
/** Replicas of each index shard: one in the cluster, none on a single node. */
export const elasticsearchReplicas = () => (clustered ? 1 : 0)

function settings(node: EsNode, all: EsNode[]) {
  return [
    `cluster.name: ${clustered ? 'starling-cluster' : 'starling'}`,
    `node.name: ${node.name}`,
    `path.data: ${node.dataDir}`,
    `path.logs: ${node.logsDir}`,
    'network.host: 127.0.0.1',
    `http.port: ${node.http}`,
    `transport.port: ${node.transport}`,
    ...(clustered
      ? [
          `discovery.seed_hosts: [${all.map((n) => `"127.0.0.1:${n.transport}"`).join(', ')}]`,
          `cluster.initial_master_nodes: [${all.map((n) => `"${n.name}"`).join(', ')}]`,
        ]
      : ['discovery.type: single-node']),
    // A private node on loopback; security would need certificates for no benefit here.
    'xpack.security.enabled: false',
    'action.destructive_requires_name: false',
    // Keep working on a nearly full development disk instead of turning indices read-only.
    'cluster.routing.allocation.disk.threshold_enabled: false',
  ].join('\n') + '\n'
}

export const elasticsearch = {
  name: 'elasticsearch',
  async provision() {
    if (fs.existsSync(path.join(home, 'bin', 'elasticsearch'))) return
    say(`fetching Elasticsearch ${VERSION} from Maven Central (first run only)...`)
    const download = path.join(stack.cache, 'downloads')
    fs.mkdirSync(download, { recursive: true })
    run('mvn', ['-B', '-q', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${download}`])
    const staging = `${home}.partial`
    fs.rmSync(staging, { recursive: true, force: true })
    fs.mkdirSync(staging, { recursive: true })
    run('unzip', ['-q', path.join(download, `elasticsearch-${VERSION}.zip`), '-d', staging])
    fs.renameSync(path.join(staging, `elasticsearch-${VERSION}`), home)
    fs.rmSync(staging, { recursive: true, force: true })
  },
  async start() {
    const all = nodes()
    for (const node of all) {
      // Elasticsearch refuses to run as root, and writes its keystore into its config directory.
      ownedDir(node.logsDir)
      ownedDir(node.dataDir)
      fs.mkdirSync(node.configDir, { recursive: true })
      for (const file of ['jvm.options', 'log4j2.properties']) fs.copyFileSync(path.join(home, 'config', file), path.join(node.configDir, file))
      fs.mkdirSync(path.join(node.configDir, 'jvm.options.d'), { recursive: true })
      fs.writeFileSync(path.join(node.configDir, 'elasticsearch.yml'), settings(node, all))
      ownedDir(node.configDir)
      startDaemon({
        name: node.daemon,
        command: path.join(home, 'bin', 'elasticsearch'),
        args: [],
        env: {
          PATH: process.env.PATH,
          ES_JAVA_HOME: JAVA_HOME,
          ES_PATH_CONF: node.configDir,
          ES_JAVA_OPTS: `-Xms${stack.heap.elasticsearch} -Xmx${stack.heap.elasticsearch}`,
        },
        unprivileged: true,
      })
    }
  },
  // GET / is not served by this distribution; cluster health is. The cluster waits for all its nodes.
  ready: () => waitUntil('elasticsearch', async () =>
    (await fetch(`${elasticsearchUrl()}/_cluster/health?wait_for_status=yellow&wait_for_nodes=${nodes().length}&timeout=1s`)).ok),
  stop: async () => {
    for (const node of nodes()) await stopDaemon(node.daemon, { graceMs: 30_000 })
  },
}
