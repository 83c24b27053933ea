import { contracts } from './contracts.ts'
import { EventEnvelope } from './envelope.ts'
import { allTopics } from './catalog.ts'
import { LiveAuth, liveFrames } from './live-frames.ts'

/**
 * The AsyncAPI 3.0 description of every topic, generated from the catalog and the contracts, so
 * the document cannot drift from what producers and consumers validate. `brokers` are the servers
 * it names: the ones the service was configured with (KAFKA_BROKERS). The realtime socket (/ws,
 * through the gateway) is described beside them, from the frames' schemas.
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
  const brokerIds = brokers.map((_host, i) => `broker-${i + 1}`)
  // A channel names its servers: one that names none is on every server, the gateway included.
  const onBrokers = brokerIds.map((id) => ({ $ref: `#/servers/${id}` }))
  const channels: Record<string, unknown> = Object.fromEntries(allTopics.map((topic) => [topic.name.replaceAll('.', '_'), {
    address: topic.name,
    description: `${topic.description} Key: ${topic.key}. Partitions: ${topic.partitions}.`,
    servers: onBrokers,
    messages: messagesOf(topic.events),
  }]))
  for (const [type, payload] of Object.entries({ ...liveFrames, auth: LiveAuth })) {
    messages[`ws_${type}`] = { name: type, title: `socket frame ${type}`, contentType: 'application/json', payload }
  }
  channels.realtime = {
    address: '/ws',
    title: 'The realtime socket',
    description: 'A WebSocket through the gateway, held by the notification service. The client sends auth first '
      + '(with last_event_id to replay what it missed); the server answers ready, then the replay, then live events. '
      + 'Event frames carry a per-user stream id; notifications, messages and home-timeline tweets share one replay stream per user.',
    servers: [{ $ref: '#/servers/gateway' }],
    messages: Object.fromEntries(Object.keys(messages).filter((id) => id.startsWith('ws_')).map((id) => [id, { $ref: `#/components/messages/${id}` }])),
  }
  const frames = (ids: string[]) => ids.map((id) => ({ $ref: `#/channels/realtime/messages/ws_${id}` }))
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Starling events',
      version: '1',
      description: 'Kafka topics between the Starling services, and the realtime WebSocket clients hold. Every Kafka message is an event envelope (id, type, version, occurred_at, key, payload); the key is the aggregate id.',
    },
    defaultContentType: 'application/json',
    servers: {
      ...Object.fromEntries(brokers.map((host, i) => [brokerIds[i], { host, protocol: 'kafka', description: 'a broker of the cluster this service uses' }])),
      gateway: {
        host: '{gateway}', protocol: 'ws', description: 'the API gateway (wss behind TLS)',
        variables: { gateway: { default: '127.0.0.1:8080', description: 'where the gateway is reached' } },
      },
    },
    channels,
    operations: {
      sendLiveEvents: {
        action: 'send', channel: { $ref: '#/channels/realtime' }, summary: 'The frames the server sends on the socket',
        messages: frames(Object.keys(liveFrames)),
      },
      receiveAuth: { action: 'receive', channel: { $ref: '#/channels/realtime' }, summary: 'The message the server expects from the client', messages: frames(['auth']) },
    },
    components: { messages },
  }
}
