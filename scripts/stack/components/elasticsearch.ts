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
const configDir = path.join(stack.dir, 'elasticsearch', 'config')
const dataDir = path.join(stack.data, 'elasticsearch')
// 8.x runs on Java 17 or later; the machine's default JDK is 17.
const JAVA_HOME = process.env.ES_JAVA_HOME ?? '/usr/lib/jvm/java-17-openjdk-amd64'

export const elasticsearchUrl = () => `http://127.0.0.1:${stack.ports.elasticsearch}`

function settings() {
  return [
    'cluster.name: starling',
    'node.name: starling-1',
    `path.data: ${dataDir}`,
    `path.logs: ${path.join(stack.logs, 'elasticsearch')}`,
    'network.host: 127.0.0.1',
    `http.port: ${stack.ports.elasticsearch}`,
    `transport.port: ${stack.ports.elasticsearch + 100}`,
    'discovery.type: single-node',
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
    // Elasticsearch refuses to run as root, and writes its keystore into its config directory.
    ownedDir(path.join(stack.logs, 'elasticsearch'))
    ownedDir(dataDir)
    fs.mkdirSync(configDir, { recursive: true })
    for (const file of ['jvm.options', 'log4j2.properties']) fs.copyFileSync(path.join(home, 'config', file), path.join(configDir, file))
    fs.mkdirSync(path.join(configDir, 'jvm.options.d'), { recursive: true })
    fs.writeFileSync(path.join(configDir, 'elasticsearch.yml'), settings())
    ownedDir(configDir)
    startDaemon({
      name: 'elasticsearch',
      command: path.join(home, 'bin', 'elasticsearch'),
      args: [],
      env: {
        PATH: process.env.PATH,
        ES_JAVA_HOME: JAVA_HOME,
        ES_PATH_CONF: configDir,
        ES_JAVA_OPTS: `-Xms${stack.heap.elasticsearch} -Xmx${stack.heap.elasticsearch}`,
      },
      unprivileged: true,
    })
  },
  // GET / is not served by this distribution; cluster health is.
  ready: () => waitUntil('elasticsearch', async () =>
    (await fetch(`${elasticsearchUrl()}/_cluster/health?wait_for_status=yellow&timeout=1s`)).ok),
  stop: () => stopDaemon('elasticsearch', { graceMs: 30_000 }),
}
