// k8s/, built with kustomize for each overlay and checked without a cluster: every resource against
// the official Kubernetes OpenAPI schemas and the operators' CRD schemas (the kubernetes-models
// packages), unknown fields refused as `kubectl apply` refuses them, and the result against what the
// services themselves declare (config schemas, migrations, workers, topics) and the gateway needs.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { ICluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster'
import type { IDatabase } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Database'
import type { IElasticsearch } from '@kubernetes-models/elastic-cloud/elasticsearch.k8s.elastic.co/v1/Elasticsearch'
import type { IKafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/Kafka'
import type { IKafkaNodePool } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaNodePool'
import type { IKafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic'
import { loadConfig } from '@starling/shared/config'
import { allTopics, topics as catalog } from '@starling/shared/events'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import type { IService } from 'kubernetes-models/v1/Service'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { appNames, configSchemas, declares, defaultOf, hasWorker, imageEnvironment, read, root, sourceOf, usesPostgres, usesReplicas } from '../setup/services.ts'
import { parseAllDocuments } from 'yaml'
import { goTool } from '../../scripts/stack/components/tools.ts'
import { loadMigrateConfig } from '../../shared/src/db/config.ts'


type Labels = Record<string, string>
interface Resource {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels?: Labels }
  [field: string]: unknown
}
interface Selector {
  matchLabels?: Labels
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

// --- What the services declare ---------------------------------------------------------------------

/** A service runs as an -api Deployment (server.ts) and, if it has a worker.ts, a -worker one. */
const deploymentsOf = (name: string) => (hasWorker(name) ? [`${name}-api`, `${name}-worker`] : [`${name}-api`])
/** The services that call `name` directly, through their <NAME>_SERVICE_URL. */
const callersOf = (name: string) => appNames.filter((caller) => declares(caller, `${name.toUpperCase()}_SERVICE_URL`))
/** The catalog topics a service's consumers subscribe to (`topics: [topics.<key>.name, …]`). */
function consumedTopics(name: string) {
  // A subscription's list, inline (`topics: [...]`) or named (`INDEXED_TOPICS = [...]`).
  const lists = [...sourceOf(name).matchAll(/(?:topics:|_TOPICS =) \[([^\]]*)\]/g)].map(([, list]) => list!)
  const keys = lists.flatMap((list) => [...list.matchAll(/topics\.(\w+)\.name/g)].map(([, key]) => key as keyof typeof catalog))
  return [...new Set(keys)].map((key) => catalog[key])
}

// --- Reading the built manifests ---------------------------------------------------------------------

const overlays = ['dev', 'prod'] as const
type Overlay = (typeof overlays)[number]
const built = {} as Record<Overlay, Resource[]>

const all = (overlay: Overlay, kind: string) => built[overlay].filter((r) => r.kind === kind)
function get<T>(overlay: Overlay, kind: string, name: string): T & Resource {
  const found = built[overlay].find((r) => r.kind === kind && r.metadata.name === name)
  if (!found) throw new Error(`k8s/overlays/${overlay} has no ${kind} ${name}`)
  return found as T & Resource
}
const one = <T>(overlay: Overlay, kind: string) => {
  const found = all(overlay, kind)
  expect(found, `${overlay}: ${kind}`).toHaveLength(1)
  return found[0] as T & Resource
}

interface Workload { name: string; kind: string; labels: Labels; pod: IPodSpec }
function workloads(overlay: Overlay): Workload[] {
  return built[overlay].flatMap((r) => {
    if (!['Deployment', 'StatefulSet', 'Job'].includes(r.kind)) return []
    const template = (r as unknown as { spec: { template: { metadata?: { labels?: Labels }; spec: IPodSpec } } }).spec.template
    return [{ name: r.metadata.name, kind: r.kind, labels: template.metadata?.labels ?? {}, pod: template.spec }]
  })
}
const workload = (overlay: Overlay, name: string) => {
  const found = workloads(overlay).find((w) => w.name === name)
  if (!found) throw new Error(`k8s/overlays/${overlay} has no workload ${name}`)
  return found
}
const mainContainer = (overlay: Overlay, deployment: string) => workload(overlay, deployment).pod.containers[0]!

/** The DNS names of a StatefulSet's pods: <name>-<ordinal>.<its Service>. */
const podNames = (set: IStatefulSet & Resource) => Array.from({ length: set.spec!.replicas ?? 1 }, (_, i) => `${set.metadata.name}-${i}.${set.spec!.serviceName}`)
/** The Jobs that run the Redis servers' image: the one that forms a Redis Cluster, if there is one. */
const redisJobs = (overlay: Overlay) => {
  const image = workload(overlay, 'redis').pod.containers[0]!.image
  return workloads(overlay).filter((w) => w.kind === 'Job' && w.pod.containers.some((c) => c.image === image))
}

/**
 * A container's environment as the kubelet builds it: the image's ENV, then envFrom, then env in
 * order with $(VAR) expanded. Secret values stand in as "secret-<name>-<key>".
 */
function environment(overlay: Overlay, container: IContainer): Record<string, string> {
  const env: Record<string, string> = container.image?.startsWith('starling/') ? imageEnvironment() : {}
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: envFrom other than a ConfigMap`)
    Object.assign(env, get<IConfigMap>(overlay, 'ConfigMap', source.configMapRef.name!).data)
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef
    env[variable.name] = secret ? `secret-${secret.name}-${secret.key}` : (variable.value ?? '').replace(/\$\((\w+)\)/g, (ref, name: string) => env[name] ?? ref)
  }
  return env
}

/** Every Secret a pod reads, by name, with the keys it reads. */
function secretsRead(pod: IPodSpec): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>()
  const note = (name: string, key = '*') => reads.set(name, (reads.get(name) ?? new Set()).add(key))
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    for (const v of container.env ?? []) if (v.valueFrom?.secretKeyRef) note(v.valueFrom.secretKeyRef.name!, v.valueFrom.secretKeyRef.key)
    for (const source of container.envFrom ?? []) if (source.secretRef) note(source.secretRef.name!)
  }
  for (const volume of pod.volumes ?? []) {
    if (volume.secret) note(volume.secret.secretName!)
    for (const source of volume.projected?.sources ?? []) if (source.secret) note(source.secret.name!)
  }
  return reads
}

function matches(selector: Selector | undefined, labels: Labels) {
  if (!selector) return false
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value)
  return byLabels && (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key]
    if (operator === 'In') return value !== undefined && values.includes(value)
    if (operator === 'NotIn') return value === undefined || !values.includes(value)
    if (operator === 'Exists') return value !== undefined
    if (operator === 'DoesNotExist') return value === undefined
    throw new Error(`unknown selector operator ${operator}`)
  })
}

/**
 * Which of this namespace's workloads the NetworkPolicies let open `port` on pods labelled `target`
 * (by app.kubernetes.io/name), or 'anyone'. Peers in other namespaces (operators) are left out.
 */
function admitted(overlay: Overlay, target: Labels, port: number): Set<string> | 'anyone' {
  const policies = all(overlay, 'NetworkPolicy').map((p) => (p as unknown as INetworkPolicy).spec!)
    .filter((spec) => (spec.policyTypes ?? ['Ingress']).includes('Ingress') && (Object.keys(spec.podSelector ?? {}).length === 0 || matches(spec.podSelector as Selector, target)))
  if (policies.length === 0) return 'anyone'
  const clients = new Set<string>()
  for (const rule of policies.flatMap((spec) => spec.ingress ?? [])) {
    if (rule.ports && !rule.ports.some((p) => p.port === port)) continue
    if (!rule.from || rule.from.length === 0) return 'anyone'
    for (const peer of rule.from) {
      if (peer.namespaceSelector || peer.ipBlock) continue
      for (const w of workloads(overlay)) if (matches(peer.podSelector as Selector, w.labels)) clients.add(w.labels['app.kubernetes.io/name']!)
    }
  }
  return clients
}

const bytes = (quantity: string | number) => {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i?|k)?$/.exec(String(quantity))
  if (!match) throw new Error(`unreadable quantity ${quantity}`)
  const unit = match[2] ?? ''
  const power = ' KMGT'.indexOf(unit[0]!.toUpperCase())
  return Number(match[1]) * (unit ? (unit.endsWith('i') ? 1024 : 1000) ** power : 1)
}
const millicores = (quantity: string | number) => (String(quantity).endsWith('m') ? Number(String(quantity).slice(0, -1)) : Number(quantity) * 1000)
const heapOf = (opts: string | undefined) => bytes(/-Xmx(\d+[kmg])/.exec(opts ?? '')?.[1]?.replace(/([kmg])$/, (u) => `${u.toUpperCase()}i`) ?? '0')

// --- Schemas ---------------------------------------------------------------------------------------

/** The npm package with the models (and schemas) of an API group: the official ones, or an operator's CRDs. */
const operatorModels: Record<string, string> = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'elasticsearch.k8s.elastic.co': '@kubernetes-models/elastic-cloud',
}
const officialGroups = ['', 'apps', 'autoscaling', 'batch', 'policy', 'networking.k8s.io']
function modelModule(apiVersion: string, kind: string) {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : ''
  const pkg = operatorModels[group] ?? (officialGroups.includes(group) ? 'kubernetes-models' : undefined)
  if (!pkg) throw new Error(`no schema package for ${apiVersion} ${kind}: add one to the test`)
  return `${pkg}/${apiVersion}/${kind}`
}
type Validate = (resource: Resource) => void
async function validatorOf(apiVersion: string, kind: string): Promise<Validate> {
  const module: Record<string, new (data: Resource) => { validate(): void }> = await import(modelModule(apiVersion, kind))
  const Model = module[kind]
  if (!Model) throw new Error(`${modelModule(apiVersion, kind)} exports no ${kind}`)
  return (resource) => new Model(embeddedTypeMeta(resource)).validate()
}
/**
 * The ECK models reuse kubernetes-models' PersistentVolumeClaim, whose schema (made for a top-level
 * object) requires apiVersion and kind; ECK's own CRD does not ask for them in volumeClaimTemplates.
 */
function embeddedTypeMeta(resource: Resource): Resource {
  if (resource.kind !== 'Elasticsearch') return resource
  const spec = resource.spec as IElasticsearch['spec']
  const nodeSets = spec!.nodeSets.map((set) => ({ ...set, volumeClaimTemplates: set.volumeClaimTemplates?.map((t) => ({ ...t, apiVersion: t.apiVersion ?? 'v1', kind: t.kind ?? 'PersistentVolumeClaim' })) }))
  return { ...resource, spec: { ...spec, nodeSets } }
}

/**
 * The JSON schemas leave additionalProperties open, as the API server's OpenAPI does, but
 * `kubectl apply` (strict field validation) refuses fields a type does not have. The models' type
 * declarations carry the same field lists: this walks a resource against them with the compiler.
 */
function createFieldChecker(models: [apiVersion: string, kind: string][]) {
  const file = path.join(root, 'test', 'deploy', '__k8s_models__.ts')
  const source = models.map(([apiVersion, kind], i) => `import type { ${kind} as M${i} } from '${modelModule(apiVersion, kind)}'`).join('\n')
    + `\nexport interface Models {\n${models.map(([apiVersion, kind], i) => `  '${apiVersion}/${kind}': M${i}`).join('\n')}\n}\n`
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] }
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (name) => name === file || fileExists.call(host, name)
  host.readFile = (name) => (name === file ? source : readFile.call(host, name))
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language, ...rest))
  const program = ts.createProgram([file], options, host)
  const unresolved = ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
  if (unresolved.length) throw new Error(ts.flattenDiagnosticMessageText(unresolved[0]!.messageText, '\n'))
  const checker = program.getTypeChecker()
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!)
  const modelsType = checker.getDeclaredTypeOfSymbol(exports.find((s) => s.name === 'Models')!)

  const objectTypes = (type: ts.Type) => {
    const members = type.isUnion() ? type.types : [type]
    return members.filter((t) => (t.flags & ts.TypeFlags.Object) !== 0)
  }
  function walk(value: unknown, type: ts.Type, at: string, unknown: string[]) {
    if (value === null || typeof value !== 'object') return
    const candidates = objectTypes(checker.getNonNullableType(type))
    if (Array.isArray(value)) {
      const array = candidates.find((t) => checker.isArrayType(t))
      if (array) value.forEach((item, i) => walk(item, checker.getTypeArguments(array as ts.TypeReference)[0]!, `${at}[${i}]`, unknown))
      return
    }
    const objects = candidates.filter((t) => !checker.isArrayType(t))
    // Maps (labels, annotations, config) and free-form objects take any key.
    if (objects.length === 0 || objects.some((t) => checker.getIndexInfosOfType(t).length > 0 || checker.getPropertiesOfType(t).length === 0)) return
    for (const [key, item] of Object.entries(value)) {
      const property = objects.map((t) => checker.getPropertyOfType(t, key)).find(Boolean)
      if (!property) unknown.push(`${at}.${key}`)
      else walk(item, checker.getTypeOfSymbol(property), `${at}.${key}`, unknown)
    }
  }
  return (resource: Resource) => {
    const property = checker.getPropertyOfType(modelsType, `${resource.apiVersion}/${resource.kind}`)
    if (!property) throw new Error(`no model for ${resource.apiVersion} ${resource.kind}`)
    const unknown: string[] = []
    walk(resource, checker.getTypeOfSymbol(property), `${resource.kind}/${resource.metadata.name}`, unknown)
    return unknown
  }
}

let validators = new Map<string, Validate>()
let unknownFields: (resource: Resource) => string[]

beforeAll(async () => {
  // Built from the Go module proxy the first time (minutes on 2 cores), then cached.
  const kustomize = goTool('kustomize')
  for (const overlay of overlays) {
    const output = execFileSync(kustomize, ['build', path.join(root, 'k8s', 'overlays', overlay)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    built[overlay] = parseAllDocuments(output).map((doc) => doc.toJS() as Resource)
  }
  const kinds = [...new Map(overlays.flatMap((o) => built[o]).map((r) => [`${r.apiVersion}/${r.kind}`, [r.apiVersion, r.kind] as [string, string]])).values()]
  validators = new Map(await Promise.all(kinds.map(async ([apiVersion, kind]) => [`${apiVersion}/${kind}`, await validatorOf(apiVersion, kind)] as const)))
  unknownFields = createFieldChecker(kinds)
}, 600_000)

describe('the k8s checks themselves', () => {
  it('reject a resource that breaks the official schema, and a misspelt field', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'x', image: 'x' }] } } } }
    const validate = await validatorOf('apps/v1', 'Deployment')
    expect(() => validate(deployment)).not.toThrow()
    expect(() => validate({ ...deployment, spec: { ...deployment.spec, replicas: 'three' } })).toThrow(/replicas/)
    const probe = { readinesProbe: { httpGet: { path: '/readyz', port: 'http' } } }
    const typo = { ...deployment, spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'x', image: 'x', ...probe }] } } } }
    expect(unknownFields(typo)).toEqual(['Deployment/x.spec.template.spec.containers[0].readinesProbe'])
    const topic = { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitons: 3, config: { 'retention.ms': 1 } } }
    expect(unknownFields(topic)).toEqual(['KafkaTopic/t.spec.partitons'])
  })

  it('find the services that keep the shared replicas\' tables, and the topics each worker consumes', () => {
    expect(appNames.filter(usesReplicas)).toEqual(['dm', 'follower', 'notification', 'timeline', 'tweet'])
    expect(consumedTopics('follower').map((t) => t.name)).toEqual([catalog.users.name])
  })
})

describe.each(overlays)('k8s/overlays/%s', (overlay) => {
  it('builds resources that are valid against the official Kubernetes and operator CRD schemas', () => {
    expect(built[overlay].length).toBeGreaterThan(0)
    for (const resource of built[overlay]) {
      const where = `${resource.kind}/${resource.metadata.name}`
      expect(() => validators.get(`${resource.apiVersion}/${resource.kind}`)!(resource), where).not.toThrow()
      expect(unknownFields(resource), where).toEqual([])
    }
  })

  it('puts everything in the starling namespace and commits no Secret', () => {
    expect(get(overlay, 'Namespace', 'starling')).toBeDefined()
    for (const resource of built[overlay].filter((r) => r.kind !== 'Namespace')) expect(resource.metadata.namespace, `${resource.kind}/${resource.metadata.name}`).toBe('starling')
    expect(all(overlay, 'Secret')).toEqual([])
  })

  it('runs each service as an -api Deployment (server.ts) and a -worker Deployment (worker.ts), and no other', () => {
    const expected = appNames.flatMap(deploymentsOf)
    const deployments = all(overlay, 'Deployment').map((d) => d.metadata.name).filter((name) => name !== 'gateway')
    expect(deployments.sort()).toEqual(expected.sort())
    for (const name of appNames) {
      const entrypoints = { [`${name}-api`]: 'server.ts', [`${name}-worker`]: 'worker.ts' }
      for (const deployment of deploymentsOf(name)) {
        const file = `services/${name}/src/${entrypoints[deployment]}`
        expect(mainContainer(overlay, deployment).command, deployment).toEqual(['node', file])
        expect(fs.existsSync(path.join(root, file)), file).toBe(true)
      }
    }
    // What a process is comes from the file it runs, not from a flag.
    for (const { name, pod } of workloads(overlay)) {
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) expect(environment(overlay, container), `${name}/${container.name}`).not.toHaveProperty('WORKER_ENABLED')
    }
  })

  it('leaves none of the starling-service component\'s placeholders in what it builds', () => {
    for (const resource of built[overlay]) expect(JSON.stringify(resource), `${resource.kind}/${resource.metadata.name}`).not.toMatch(/\bSERVICE\b|\bIMAGE\b|"(containerPort|port)":0\b/)
  })

  it.each(appNames)('runs %s from its own image, with probes on /healthz and /readyz at its port', (name) => {
    for (const deployment of deploymentsOf(name)) {
      const container = mainContainer(overlay, deployment)
      const port = String(environment(overlay, container).PORT)
      expect(port, deployment).toBe(String(defaultOf(name, 'PORT')))
      expect(container.image, deployment).toMatch(new RegExp(`^starling/${name}-service:`))
      expect(container.ports).toContainEqual({ name: 'http', containerPort: Number(port) })
      expect(container.livenessProbe?.httpGet, deployment).toMatchObject({ path: '/healthz', port: 'http' })
      expect(container.readinessProbe?.httpGet, deployment).toMatchObject({ path: '/readyz', port: 'http' })
    }
  })

  it.each(appNames)('gives %s every variable its config needs, pointed at the cluster, and nothing it does not read', (name) => {
    for (const deployment of deploymentsOf(name)) {
      const container = mainContainer(overlay, deployment)
      const env = environment(overlay, container)
      for (const key of Object.keys(configSchemas[name]!.properties)) {
        const fallback = defaultOf(name, key)
        // A default pointing at this machine (127.0.0.1:9092, HOST=127.0.0.1) is wrong in a pod.
        if (fallback !== undefined && !/127\.0\.0\.1|localhost/.test(String(fallback))) continue
        // Browser origins and the bucket's public address: loopback is right in dev (kubectl
        // port-forward), never in prod.
        if ((/_ORIGINS$/.test(key) || key === 'S3_PUBLIC_URL') && overlay === 'dev') continue
        expect(env[key], `${deployment} needs ${key}`).toBeDefined()
        expect(env[key], `${deployment}: ${key}`).not.toMatch(/127\.0\.0\.1|localhost|\$\(/)
      }
      expect(() => loadConfig(configSchemas[name]!, env), deployment).not.toThrow()
      // A misspelt variable is silently ignored by the service; only helpers of $(VAR) may be extra.
      const helpers = (container.env ?? []).flatMap((v) => [...(v.value ?? '').matchAll(/\$\((\w+)\)/g)].map(([, ref]) => ref!))
      const extra = [...(container.env ?? []).map((v) => v.name), ...(container.envFrom ?? []).flatMap((s) => Object.keys(get<IConfigMap>(overlay, 'ConfigMap', s.configMapRef!.name!).data ?? {}))]
        .filter((key) => !declares(name, key) && !helpers.includes(key) && !(key in imageEnvironment()))
      expect(extra, deployment).toEqual([])
    }
  })

  it.each(appNames)('points %s at the servers the manifests create', (name) => {
    const env = environment(overlay, mainContainer(overlay, `${name}-api`))
    const kafka = one<IKafka>(overlay, 'Kafka')
    const plain = kafka.spec.kafka.listeners.find((l) => l.type === 'internal' && !l.tls)!
    expect(env.KAFKA_BROKERS).toBe(`${kafka.metadata.name}-kafka-bootstrap:${plain.port}`)
    if (usesPostgres(name)) {
      const cluster = one<ICluster>(overlay, 'Cluster')
      const url = new URL(env.DATABASE_URL!)
      expect(url.host).toBe(`${cluster.metadata.name}-rw:5432`)
      const database = url.pathname.slice(1)
      expect(database).toBe(`starling_${name}`)
      const declared = all(overlay, 'Database').map((d) => (d as unknown as IDatabase).spec).find((spec) => spec.name === database)
      expect(declared, `no CNPG Database ${database}`).toMatchObject({ cluster: { name: cluster.metadata.name }, owner: cluster.spec!.bootstrap!.initdb!.owner })
    }
    if (declares(name, 'REDIS_URL')) {
      // One URL is a standalone server, at its Service; several are a Redis Cluster's seeds, each a
      // pod by its own name, which only a headless Service gives (shared/src/db/redis.ts).
      const urls = env.REDIS_URL!.split(',').map((url) => new URL(url))
      const redis = get<IStatefulSet>(overlay, 'StatefulSet', 'redis')
      const service = get<IService>(overlay, 'Service', redis.spec!.serviceName!)
      if (urls.length > 1) expect(service.spec!.clusterIP).toBe('None')
      for (const url of urls) {
        expect(url.protocol).toBe('redis:')
        expect(urls.length === 1 ? [service.metadata.name] : podNames(redis), `${name}: REDIS_URL`).toContain(url.hostname)
        expect(service.spec!.ports!.map((p) => p.port)).toContain(Number(url.port))
      }
    }
    if (declares(name, 'ELASTICSEARCH_URL')) {
      const es = one<IElasticsearch>(overlay, 'Elasticsearch')
      const url = new URL(env.ELASTICSEARCH_URL!)
      expect(url.host).toBe(`${es.metadata.name}-es-http:9200`)
      // ECK keeps the elastic user's password in <name>-es-elastic-user; plain HTTP needs TLS off.
      expect(decodeURIComponent(url.password)).toBe(`secret-${es.metadata.name}-es-elastic-user-elastic`)
      expect(es.spec!.http?.tls?.selfSignedCertificate?.disabled).toBe(true)
    }
    for (const [key, value] of Object.entries(env).filter(([key]) => /^[A-Z]+_SERVICE_URL$/.test(key))) {
      const callee = key.replace(/_SERVICE_URL$/, '').toLowerCase()
      expect(new URL(value).host, `${name}: ${key}`).toBe(`${callee}:${defaultOf(callee, 'PORT')}`)
    }
  })

  it.each(appNames)('serves %s through a ClusterIP Service that sends traffic to its API pods only', (name) => {
    const service = get<IService>(overlay, 'Service', name)
    expect(service.spec!.type ?? 'ClusterIP').toBe('ClusterIP')
    expect(service.spec!.ports).toEqual([expect.objectContaining({ port: defaultOf(name, 'PORT'), targetPort: 'http' })])
    expect(matches({ matchLabels: service.spec!.selector }, workload(overlay, `${name}-api`).labels)).toBe(true)
    if (hasWorker(name)) expect(matches({ matchLabels: service.spec!.selector }, workload(overlay, `${name}-worker`).labels)).toBe(false)
  })

  it.each(appNames.filter(usesPostgres))('migrates the %s database in an initContainer before the process starts', (name) => {
    expect(fs.statSync(path.join(root, 'services', name, 'migrations')).isDirectory()).toBe(true)
    // --replicas: the shared replicas' tables (users, blocks, mutes), for the services that keep them.
    const replicas = usesReplicas(name) ? ['--replicas'] : []
    for (const deployment of deploymentsOf(name)) {
      const { pod } = workload(overlay, deployment)
      const [migrate, ...others] = pod.initContainers ?? []
      expect(others, deployment).toEqual([])
      expect(migrate?.command, deployment).toEqual(['node', 'shared/src/db/migrate.cli.ts', `services/${name}/migrations`, ...replicas])
      expect(migrate!.image).toBe(pod.containers[0]!.image)
      const env = environment(overlay, migrate!)
      expect(env.DATABASE_URL).toBe(environment(overlay, pod.containers[0]!).DATABASE_URL)
      expect(() => loadMigrateConfig(env)).not.toThrow()
    }
  })

  it.each(appNames.filter((name) => !usesPostgres(name)))('runs no migration for %s, which has no database', (name) => {
    for (const deployment of deploymentsOf(name)) expect(workload(overlay, deployment).pod.initContainers ?? []).toEqual([])
  })

  it('fills the gateway\'s WEB_ROOT with the web client before nginx starts (the starling/web initContainer)', () => {
    const gateway = workload(overlay, 'gateway').pod
    const web = gateway.initContainers?.find((c) => c.image?.startsWith('starling/web'))
    expect(web, 'initContainer starling/web').toBeDefined()
    const volume = web!.volumeMounts!.find((m) => m.mountPath === web!.args![0])!
    expect(gateway.volumes?.find((v) => v.name === volume.name)?.emptyDir).toBeDefined()
    const nginx = gateway.containers.find((c) => c.name === 'nginx')!
    const webRoot = nginx.volumeMounts!.find((m) => m.name === volume.name)!.mountPath
    expect(environment(overlay, nginx).WEB_ROOT).toBe(webRoot)
  })

  it('runs every pod as non-root on a read-only root filesystem, with no privileges and bounded resources', () => {
    for (const { name, pod } of workloads(overlay)) {
      expect(pod.securityContext, name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })
      expect(pod.automountServiceAccountToken, name).toBe(false)
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        const where = `${name}/${container.name}`
        const context = container.securityContext
        expect(context, where).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } })
        expect(context!.runAsUser ?? pod.securityContext!.runAsUser, where).toBeGreaterThan(0)
        // The node user of the services' image.
        if (/^starling\/[a-z]+-service/.test(container.image ?? '')) {
          expect(context!.runAsUser, where).toBe(1000)
          expect(container.volumeMounts, where).toContainEqual({ name: 'tmp', mountPath: '/tmp' })
          expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir, where).toBeDefined()
        }
        for (const resource of ['cpu', 'memory']) {
          expect(container.resources?.requests?.[resource], `${where} requests ${resource}`).toBeDefined()
          expect(container.resources?.limits?.[resource], `${where} limits ${resource}`).toBeDefined()
        }
        expect(container.image, where).toMatch(/:[\w.-]+$/)
        expect(container.image, where).not.toMatch(/:latest$/)
      }
    }
  })

  it('gives the JWT private key to the user pods only, and the public key to every service that verifies tokens', () => {
    const holders = workloads(overlay).filter((w) => secretsRead(w.pod).has('jwt-private-key')).map((w) => w.name)
    expect(holders.sort()).toEqual(deploymentsOf('user').sort())
    for (const name of appNames) {
      for (const deployment of deploymentsOf(name)) {
        const env = environment(overlay, mainContainer(overlay, deployment))
        if (declares(name, 'JWT_PUBLIC_KEY')) expect(env.JWT_PUBLIC_KEY, deployment).toBe('secret-jwt-public-key-public.pem')
        if (declares(name, 'JWT_PRIVATE_KEY')) expect(env.JWT_PRIVATE_KEY, deployment).toBe('secret-jwt-private-key-private.pem')
      }
    }
  })

  it('documents how to create every Secret it reads that no operator creates', () => {
    const readme = read('k8s/README.md').replace(/\\\n\s*/g, ' ')
    const es = one<IElasticsearch>(overlay, 'Elasticsearch')
    const operatorMade = [`${es.metadata.name}-es-elastic-user`]
    const reads = new Map<string, Set<string>>()
    for (const { pod } of workloads(overlay)) for (const [secret, keys] of secretsRead(pod)) reads.set(secret, new Set([...(reads.get(secret) ?? []), ...keys]))
    const cluster = one<ICluster>(overlay, 'Cluster')
    reads.set(cluster.spec!.bootstrap!.initdb!.secret!.name, new Set([...(reads.get(cluster.spec!.bootstrap!.initdb!.secret!.name) ?? []), 'username', 'password']))
    expect([...reads.keys()].sort()).toEqual(['jwt-private-key', 'jwt-public-key', ...operatorMade, 'object-store-credentials', 'postgres-credentials'].sort())
    for (const [secret, keys] of reads) {
      if (operatorMade.includes(secret)) continue
      const command = readme.split('\n').find((line) => new RegExp(`kubectl .*create secret \\S+ ${secret} `).test(line))
      expect(command, `k8s/README.md: kubectl create secret … ${secret}`).toBeDefined()
      for (const key of keys) expect(command, `${secret} needs ${key}`).toMatch(new RegExp(`--from-(file|literal)=${key.replace('.', '\\.')}=`))
    }
  })

  it('autoscales every Deployment on CPU, and no worker beyond the partitions it consumes', () => {
    const deployments = all(overlay, 'Deployment').map((d) => d as unknown as IDeployment & Resource)
    const hpas = all(overlay, 'HorizontalPodAutoscaler').map((h) => h as unknown as IHorizontalPodAutoscaler & Resource)
    for (const hpa of hpas) {
      expect(hpa.apiVersion).toBe('autoscaling/v2')
      expect(hpa.spec!.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' })
      expect(deployments.map((d) => d.metadata.name), hpa.metadata.name).toContain(hpa.spec!.scaleTargetRef.name)
      expect(hpa.spec!.metrics).toContainEqual({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } })
      expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(1)
      expect(hpa.spec!.maxReplicas).toBeGreaterThanOrEqual(hpa.spec!.minReplicas!)
    }
    for (const deployment of deployments) {
      expect(hpas.filter((h) => h.spec!.scaleTargetRef.name === deployment.metadata.name), deployment.metadata.name).toHaveLength(1)
      // The autoscaler owns the count; a replicas field would fight it on every apply.
      expect(deployment.spec!.replicas, deployment.metadata.name).toBeUndefined()
    }
    for (const name of appNames.filter(hasWorker)) {
      const hpa = hpas.find((h) => h.spec!.scaleTargetRef.name === `${name}-worker`)!
      const topics = consumedTopics(name)
      expect(topics.length, `${name}-worker consumes no catalog topic`).toBeGreaterThan(0)
      expect(hpa.spec!.maxReplicas, `${name}-worker consumes ${topics.map((t) => `${t.name} (${t.partitions})`).join(', ')}`)
        .toBeLessThanOrEqual(Math.max(...topics.map((t) => t.partitions)))
    }
  })

  it('gives every Deployment a disruption budget that still lets a node drain', () => {
    const budgets = all(overlay, 'PodDisruptionBudget').map((p) => p as unknown as IPodDisruptionBudget & Resource)
    for (const deployment of all(overlay, 'Deployment')) {
      const { labels } = workload(overlay, deployment.metadata.name)
      const covering = budgets.filter((b) => matches(b.spec!.selector as Selector, labels))
      expect(covering, deployment.metadata.name).toHaveLength(1)
      const hpa = all(overlay, 'HorizontalPodAutoscaler').map((h) => h as unknown as IHorizontalPodAutoscaler).find((h) => h.spec!.scaleTargetRef.name === deployment.metadata.name)!
      const spec = covering[0]!.spec!
      if (overlay === 'prod') expect(spec.minAvailable, deployment.metadata.name).toBeGreaterThanOrEqual(1)
      if (spec.minAvailable !== undefined) expect(spec.minAvailable, deployment.metadata.name).toBeLessThan(hpa.spec!.minReplicas!)
      else expect(spec.maxUnavailable, deployment.metadata.name).toBeGreaterThanOrEqual(1)
    }
  })

  it('spreads every Deployment\'s own pods over the nodes', () => {
    for (const deployment of all(overlay, 'Deployment')) {
      const { labels, pod } = workload(overlay, deployment.metadata.name)
      expect(pod.topologySpreadConstraints, deployment.metadata.name).toContainEqual(expect.objectContaining({ topologyKey: 'kubernetes.io/hostname' }))
      for (const spread of pod.topologySpreadConstraints!) expect(matches(spread.labelSelector as Selector, labels), deployment.metadata.name).toBe(true)
    }
  })

  it('denies ingress by default, opens the gateway to anyone and each API to the gateway and its callers only', () => {
    const deny = all(overlay, 'NetworkPolicy').map((p) => (p as unknown as INetworkPolicy).spec!)
      .filter((spec) => Object.keys(spec.podSelector ?? {}).length === 0)
    expect(deny).toEqual([{ podSelector: {}, policyTypes: ['Ingress'] }])
    expect(admitted(overlay, workload(overlay, 'gateway').labels, 8080)).toBe('anyone')
    for (const name of appNames) {
      const allowed = admitted(overlay, workload(overlay, `${name}-api`).labels, defaultOf(name, 'PORT') as number)
      expect(allowed === 'anyone' ? allowed : [...allowed].sort(), `${name}-api`).toEqual(['gateway', ...callersOf(name)].sort())
      if (hasWorker(name)) expect(admitted(overlay, workload(overlay, `${name}-worker`).labels, defaultOf(name, 'PORT') as number), `${name}-worker`).toEqual(new Set())
    }
  })

  it('lets exactly the services that use them reach PostgreSQL, Redis, Elasticsearch and Kafka', () => {
    const using = (key: string) => appNames.filter((name) => declares(name, key)).sort()
    const cluster = one<ICluster>(overlay, 'Cluster')
    const es = one<IElasticsearch>(overlay, 'Elasticsearch')
    const sorted = (set: Set<string> | 'anyone') => (set === 'anyone' ? set : [...set].sort())
    expect(sorted(admitted(overlay, { 'cnpg.io/cluster': cluster.metadata.name }, 5432))).toEqual(using('DATABASE_URL'))
    // A Redis Cluster's servers reach each other too, and the Job that forms it reaches them.
    const redis = workload(overlay, 'redis')
    const clustered = (redis.pod.containers[0]!.args ?? []).includes('--cluster-enabled')
    const ownTraffic = clustered ? [redis, ...redisJobs(overlay)].map((w) => w.labels['app.kubernetes.io/name']!) : []
    expect(sorted(admitted(overlay, redis.labels, 6379))).toEqual([...using('REDIS_URL'), ...ownTraffic].sort())
    expect(sorted(admitted(overlay, { 'elasticsearch.k8s.elastic.co/cluster-name': es.metadata.name }, 9200))).toEqual(using('ELASTICSEARCH_URL'))
    // Strimzi writes the Kafka pods' policy from the listener's peers.
    const peers = one<IKafka>(overlay, 'Kafka').spec.kafka.listeners.find((l) => l.name === 'plain')!.networkPolicyPeers ?? []
    const clients = workloads(overlay).filter((w) => [...(w.pod.initContainers ?? []), ...w.pod.containers].some((c) => 'KAFKA_BROKERS' in environment(overlay, c)))
    expect(clients.length).toBeGreaterThan(appNames.length)
    for (const client of clients) expect(peers.some((peer) => matches(peer.podSelector as Selector, client.labels)), client.name).toBe(true)
  })

  it('declares every catalog topic as a KafkaTopic with its partitions, replicated as the topics Job creates them', () => {
    const kafka = one<IKafka>(overlay, 'Kafka')
    const brokers = all(overlay, 'KafkaNodePool').map((p) => (p as unknown as IKafkaNodePool).spec)
      .filter((spec) => spec.roles.includes('broker')).reduce((sum, spec) => sum + spec.replicas, 0)
    const job = workload(overlay, 'topics').pod.containers[0]!
    const replication = Number(environment(overlay, job).KAFKA_REPLICATION_FACTOR)
    const declared = all(overlay, 'KafkaTopic').map((t) => t as unknown as IKafkaTopic & Resource)
    expect(declared.map((t) => t.spec.topicName).sort()).toEqual(allTopics.map((t) => t.name).sort())
    for (const topic of allTopics) {
      const resource = declared.find((t) => t.spec.topicName === topic.name)!
      expect(resource.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name)
      expect(resource.spec.partitions, topic.name).toBe(topic.partitions)
      expect(resource.spec.replicas, topic.name).toBe(replication)
      const minIsr = Number((resource.spec.config as Record<string, unknown>)['min.insync.replicas'])
      expect(minIsr, topic.name).toBeLessThanOrEqual(Math.max(1, replication - 1))
    }
    expect(replication).toBeLessThanOrEqual(brokers)
    expect(kafka.spec.kafka.config).toMatchObject({ 'auto.create.topics.enable': false, 'offsets.topic.replication.factor': replication })
    expect(job.command).toEqual(['node', 'shared/src/events/topics.cli.ts'])
    expect(fs.existsSync(path.join(root, 'shared/src/events/topics.cli.ts'))).toBe(true)
  })

  it('keeps a copy of every search index shard on another Elasticsearch node, when there is one', () => {
    const nodes = one<IElasticsearch>(overlay, 'Elasticsearch').spec!.nodeSets.reduce((sum, set) => sum + set.count!, 0)
    for (const deployment of deploymentsOf('search')) {
      const env = environment(overlay, mainContainer(overlay, deployment))
      const replicas = Number(env.SEARCH_INDEX_REPLICAS ?? defaultOf('search', 'SEARCH_INDEX_REPLICAS'))
      // More replicas than other nodes could never be placed, and the cluster would stay yellow.
      expect(replicas, deployment).toBeLessThanOrEqual(nodes - 1)
      if (nodes > 1) expect(replicas, deployment).toBeGreaterThanOrEqual(1)
    }
  })

  it('gives the JVMs (Kafka, Elasticsearch) memory limits with room above their heaps', () => {
    for (const pool of all(overlay, 'KafkaNodePool').map((p) => (p as unknown as IKafkaNodePool).spec)) {
      expect(bytes(pool.resources!.limits!.memory!)).toBeGreaterThanOrEqual(1.5 * heapOf(`-Xmx${pool.jvmOptions!['-Xmx']}`))
    }
    for (const nodeSet of one<IElasticsearch>(overlay, 'Elasticsearch').spec!.nodeSets) {
      const container = nodeSet.podTemplate!.spec!.containers.find((c) => c.name === 'elasticsearch')!
      const heap = heapOf(container.env!.find((e) => e.name === 'ES_JAVA_OPTS')!.value)
      expect(heap).toBeGreaterThan(0)
      expect(bytes(container.resources!.limits!.memory!)).toBeGreaterThanOrEqual(1.5 * heap)
    }
  })

  it('runs the official nginx image with nginx/nginx.conf.template, every placeholder filled with a Service', () => {
    const template = read('nginx/nginx.conf.template')
    const configMap = all(overlay, 'ConfigMap').find((c) => c.metadata.name.startsWith('gateway-nginx-')) as (IConfigMap & Resource) | undefined
    expect(configMap?.data?.['nginx.conf.template']).toBe(template)
    const { pod } = workload(overlay, 'gateway')
    const nginx = pod.containers[0]!
    expect(nginx.image).toMatch(/^nginx:1\.27(\.|$)/)
    const env = environment(overlay, nginx)
    const mounted = (target: string) => {
      const mount = nginx.volumeMounts!.find((m) => m.mountPath === target)
      return mount && pod.volumes!.find((v) => v.name === mount.name)
    }
    expect(mounted('/etc/nginx/templates/nginx.conf.template')?.configMap?.name).toBe(configMap!.metadata.name)
    // Every njs module the template imports, in the ConfigMap mounted at js_path.
    const modules = [...template.matchAll(/js_import \w+ from (\S+);/g)].map(([, file]) => file!)
    expect(modules).toContain('health.js')
    for (const file of modules) expect(configMap!.data?.[file], file).toBe(read(`nginx/${file}`))
    expect(mounted(env.NGINX_CONF_DIR!)?.configMap?.name).toBe(configMap!.metadata.name)
    // The image's entrypoint writes nginx.conf there; the root filesystem is read-only.
    expect(env.NGINX_ENVSUBST_OUTPUT_DIR).toBe('/etc/nginx')
    expect(mounted('/etc/nginx')?.emptyDir).toBeDefined()

    // The image substitutes only variables that are set; nginx's own $variables stay.
    const rendered = template.replace(/\$\{(\w+)\}/g, (match, name: string) => env[name] ?? match)
    expect(rendered.match(/\$\{[A-Z0-9_]+\}/g) ?? []).toEqual([])
    expect(rendered).toContain(`listen ${env.GATEWAY_LISTEN};`)
    expect(nginx.ports).toContainEqual({ name: 'http', containerPort: Number(env.GATEWAY_LISTEN) })
    for (const name of appNames) expect(rendered).toContain(`server ${name}:${get<IService>(overlay, 'Service', name).spec!.ports![0]!.port} max_fails=`)
    const service = get<IService>(overlay, 'Service', 'gateway')
    expect(matches({ matchLabels: service.spec!.selector }, workload(overlay, 'gateway').labels)).toBe(true)
    expect(service.spec!.ports![0]!.targetPort).toBe('http')
  })
})

describe('the overlays', () => {
  const appContainers = (overlay: Overlay) => appNames.flatMap((name) => deploymentsOf(name).map((d) => [d, mainContainer(overlay, d)] as const))

  it('run one of everything in dev, with small resources and images built locally', () => {
    for (const hpa of all('dev', 'HorizontalPodAutoscaler').map((h) => (h as unknown as IHorizontalPodAutoscaler).spec!)) expect(hpa.minReplicas, hpa.scaleTargetRef.name).toBe(1)
    expect(one<IKafkaNodePool>('dev', 'KafkaNodePool').spec.replicas).toBe(1)
    expect(one<ICluster>('dev', 'Cluster').spec!.instances).toBe(1)
    expect(one<IElasticsearch>('dev', 'Elasticsearch').spec!.nodeSets.map((n) => n.count)).toEqual([1])
    for (const [deployment, container] of appContainers('dev')) {
      expect(bytes(container.resources!.limits!.memory!), deployment).toBeLessThanOrEqual(bytes('512Mi'))
      expect(container.image, deployment).toMatch(/:dev$/)
    }
  })

  it('run several replicas in prod, with more resources, released images and minimum availability', () => {
    for (const hpa of all('prod', 'HorizontalPodAutoscaler').map((h) => (h as unknown as IHorizontalPodAutoscaler).spec!)) expect(hpa.minReplicas, hpa.scaleTargetRef.name).toBeGreaterThanOrEqual(2)
    for (const budget of all('prod', 'PodDisruptionBudget').map((p) => (p as unknown as IPodDisruptionBudget).spec!)) expect(budget.maxUnavailable).toBeUndefined()
    expect(one<IKafkaNodePool>('prod', 'KafkaNodePool').spec.replicas).toBeGreaterThanOrEqual(3)
    expect(one<ICluster>('prod', 'Cluster').spec!.instances).toBeGreaterThanOrEqual(3)
    expect(one<IElasticsearch>('prod', 'Elasticsearch').spec!.nodeSets[0]!.count).toBeGreaterThanOrEqual(3)
    expect(get<IService>('prod', 'Service', 'gateway').spec!.type).toBe('LoadBalancer')
    const dev = new Map(appContainers('dev'))
    for (const [deployment, container] of appContainers('prod')) {
      expect(container.image, deployment).toMatch(/:\d+\.\d+\.\d+$/)
      const before = dev.get(deployment)!.resources!.limits!
      expect(bytes(container.resources!.limits!.memory!), deployment).toBeGreaterThan(bytes(before.memory!))
      expect(millicores(container.resources!.limits!.cpu!), deployment).toBeGreaterThanOrEqual(millicores(before.cpu!))
    }
  })

  it('run Redis in dev as one standalone server, at its Service', () => {
    const redis = get<IStatefulSet>('dev', 'StatefulSet', 'redis')
    expect(redis.spec!.replicas).toBe(1)
    expect(workload('dev', 'redis').pod.containers[0]!.args).not.toContain('--cluster-enabled')
    expect(redisJobs('dev')).toEqual([])
    for (const [deployment, container] of appContainers('dev')) expect(environment('dev', container).REDIS_URL, deployment).toBe(`redis://${redis.spec!.serviceName}:6379`)
  })

  it('run Redis in prod as a Redis Cluster of three masters with their replicas, formed from exactly the StatefulSet\'s pods', () => {
    const redis = get<IStatefulSet>('prod', 'StatefulSet', 'redis')
    const { labels, pod } = workload('prod', 'redis')
    const server = pod.containers[0]!
    const args = server.args ?? []
    const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
    expect(option('--cluster-enabled')).toBe('yes')
    // A server knows its cluster after a restart from nodes.conf, so it must be on the data volume.
    const data = server.volumeMounts!.find((m) => m.name === redis.spec!.volumeClaimTemplates![0]!.metadata!.name)!
    expect(option('--cluster-config-file')).toMatch(new RegExp(`^${data.mountPath}/`))
    // Clients are redirected to stable names, not to pod addresses, which change on every restart.
    expect(option('--cluster-announce-hostname')).toBe(`$(POD_NAME).${redis.spec!.serviceName}`)
    expect(server.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } })
    expect(option('--cluster-preferred-endpoint-type')).toBe('hostname')
    expect(server.readinessProbe?.exec?.command?.join(' ')).toContain('cluster_state:ok')

    // The pods' names come from a headless Service that publishes them before the pods are ready
    // (they are ready once the cluster is formed), and the pods start together, not one by one.
    const service = get<IService>('prod', 'Service', redis.spec!.serviceName!)
    expect(service.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true })
    expect(matches({ matchLabels: service.spec!.selector }, labels)).toBe(true)
    expect(redis.spec!.podManagementPolicy).toBe('Parallel')
    // The cluster bus, at the client port plus 10000, open to the servers only.
    expect(server.ports).toContainEqual({ name: 'bus', containerPort: 16379 })
    expect(service.spec!.ports).toContainEqual(expect.objectContaining({ port: 16379, targetPort: 'bus' }))
    expect(admitted('prod', labels, 16379)).toEqual(new Set([labels['app.kubernetes.io/name']]))

    // The Job runs create-cluster.sh over every pod of the StatefulSet, by name.
    const jobs = redisJobs('prod')
    expect(jobs.map((j) => j.name)).toEqual(['redis-cluster'])
    const job = jobs[0]!.pod.containers[0]!
    const [shell, script, ...servers] = job.command!
    expect(shell).toBe('sh')
    expect(servers).toEqual(podNames(redis))
    expect(admitted('prod', labels, 6379)).toContain(jobs[0]!.labels['app.kubernetes.io/name'])
    const mount = job.volumeMounts!.find((m) => script!.startsWith(`${m.mountPath}/`))
    const configMap = get<IConfigMap>('prod', 'ConfigMap', jobs[0]!.pod.volumes!.find((v) => v.name === mount?.name)!.configMap!.name!)
    const text = configMap.data![path.basename(script!)]!
    expect(text).toBe(read('k8s/components/redis-cluster/create-cluster.sh'))
    expect(() => execFileSync('sh', ['-n'], { input: text })).not.toThrow()
    // Three masters, the fewest a Redis Cluster takes, each with --cluster-replicas replicas.
    const perMaster = Number(/redis-cli --cluster create .* --cluster-replicas (\d+)/.exec(text)?.[1])
    expect(perMaster).toBeGreaterThanOrEqual(1)
    expect(redis.spec!.replicas).toBe(3 * (1 + perMaster))

    // Every process has every server as a seed.
    for (const [deployment, container] of appContainers('prod')) {
      expect(environment('prod', container).REDIS_URL!.split(',').sort(), deployment).toEqual(podNames(redis).map((host) => `redis://${host}:6379`).sort())
    }
    // Spread over the nodes, and drained one at a time: a master and its replica out together
    // would leave their slots unserved.
    const terms = pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
    expect(terms.some(({ podAffinityTerm: term }) => term.topologyKey === 'kubernetes.io/hostname' && matches(term.labelSelector as Selector, labels))).toBe(true)
    const budgets = all('prod', 'PodDisruptionBudget').map((b) => (b as unknown as IPodDisruptionBudget).spec!).filter((spec) => matches(spec.selector as Selector, labels))
    expect(budgets.map((spec) => spec.minAvailable)).toEqual([redis.spec!.replicas! - 1])
  })

  it('keep real secrets out of the repository', () => {
    const files = (dir: string): string[] => fs.readdirSync(path.join(root, dir), { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    const manifests = [...files('k8s'), 'nginx/kustomization.yaml'].filter((file) => /\.ya?ml$/.test(file))
    expect(manifests.length).toBeGreaterThan(5)
    for (const file of manifests) {
      const text = read(file)
      expect(text, file).not.toMatch(/-----BEGIN|secretGenerator/)
      for (const doc of parseAllDocuments(text).map((d) => d.toJS() as Partial<Resource> | null)) {
        if (doc?.kind === 'Secret') expect([doc.data, doc.stringData], `${file}: Secret ${doc.metadata?.name}`).toEqual([undefined, undefined])
      }
    }
    expect(read('k8s/README.md')).not.toMatch(/-----BEGIN/)
  })
})
