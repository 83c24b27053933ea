import { contracts } from './contracts.ts'
import { EventEnvelope } from './envelope.ts'
import { allTopics } from './catalog.ts'

/**
 * The AsyncAPI 3.0 description of every topic, generated from the catalog and the contracts, so
 * the document cannot drift from what producers and consumers validate. `brokers` are the servers
 * it names: the ones the service was configured with (KAFKA_BROKERS).
 */
export function buildAsyncApi(brokers: string[]) {
  const messages: Record<string, unknown> = {}
  for (const [type, versions] of Object.entries(contracts)) {
    for (const [version, payload] of Object.entries(versions)) {
      messages[`${type.replaceAll('.', '_')}_v${version}`] = {
        name: type,
        title: `${type} v${version}`,
        contentType: 'application/json',
        headers: {
          type: 'object',
          properties: { 'event-id': { type: 'string' }, 'event-type': { const: type }, 'event-version': { const: version } },
        },
        payload: { ...EventEnvelope, properties: { ...EventEnvelope.properties, type: { const: type }, version: { const: Number(version) }, payload } },
      }
    }
  }
  const messagesOf = (events: readonly string[]) => Object.fromEntries(
    Object.keys(messages).filter((id) => events.includes((messages[id] as { name: string }).name)).map((id) => [id, { $ref: `#/components/messages/${id}` }]),
  )
  const channels = Object.fromEntries(allTopics.map((topic) => [topic.name.replaceAll('.', '_'), {
    address: topic.name,
    description: `${topic.description} Key: ${topic.key}. Partitions: ${topic.partitions}.`,
    messages: messagesOf(topic.events),
  }]))
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Starling events',
      version: '1',
      description: 'Kafka topics between the Starling services. Every message is an event envelope (id, type, version, occurred_at, key, payload); the key is the aggregate id.',
    },
    defaultContentType: 'application/json',
    servers: Object.fromEntries(brokers.map((host, i) => [`broker-${i + 1}`, { host, protocol: 'kafka', description: 'a broker of the cluster this service uses' }])),
    channels,
    components: { messages },
  }
}
