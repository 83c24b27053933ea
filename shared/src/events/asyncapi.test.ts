import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { buildAsyncApi } from './asyncapi.ts'
import { allTopics } from './catalog.ts'
import { contracts } from './contracts.ts'
import { LiveTweet, LiveTweetDeleted } from './live-frames.ts'
import schema from '@asyncapi/specs/schemas/3.0.0-without-$id.json' with { type: 'json' }

describe('AsyncAPI document', () => {
  const document = buildAsyncApi(['kafka-0.kafka-brokers.starling.svc:9092', 'kafka-1.kafka-brokers.starling.svc:9092'])
  const servers = Object.values(document.servers as Record<string, { host: string; protocol: string }>)
  const channels = document.channels as Record<string, { address: string; servers: { $ref: string }[]; messages: Record<string, unknown> }>

  it('is valid AsyncAPI 3.0', () => {
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormats.default(ajv)
    const validate = ajv.compile(schema)
    const valid = validate(document)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  it('names the brokers it was given, not a fixed one', () => {
    expect(servers.filter((s) => s.protocol === 'kafka').map((s) => s.host)).toEqual(['kafka-0.kafka-brokers.starling.svc:9092', 'kafka-1.kafka-brokers.starling.svc:9092'])
  })

  it('describes every topic of the catalog, with its address, on the brokers', () => {
    const kafka = Object.values(channels).filter((c) => c.address !== '/ws')
    expect(kafka.map((c) => c.address).sort()).toEqual(allTopics.map((t) => t.name).sort())
    for (const channel of kafka) expect(channel.servers).toEqual([{ $ref: '#/servers/broker-1' }, { $ref: '#/servers/broker-2' }])
  })

  it('describes the realtime socket\'s frames on the gateway, the home-timeline tweet as the shared tweet without the reader\'s state', () => {
    const socket = channels.realtime!
    expect(socket.address).toBe('/ws')
    expect(socket.servers).toEqual([{ $ref: '#/servers/gateway' }])
    expect(Object.keys(socket.messages).sort()).toEqual(['ws_auth', 'ws_auth_renewed', 'ws_message', 'ws_notification', 'ws_ready', 'ws_tweet', 'ws_tweet_deleted'])
    const frame = (id: string) => (document.components.messages[id] as { payload: { properties: Record<string, unknown> } }).payload.properties
    expect(frame('ws_tweet').data).toEqual(LiveTweet)
    expect(Object.keys(LiveTweet.properties)).not.toContain('viewer')
    expect(Object.keys(LiveTweet.properties)).toEqual(expect.arrayContaining(['id', 'text', 'author', 'created_at', 'like_count']))
    expect(frame('ws_tweet_deleted').data).toEqual(LiveTweetDeleted)
  })

  it('describes every version of every event with its payload contract', () => {
    for (const [type, versions] of Object.entries(contracts)) {
      for (const [version, payload] of Object.entries(versions)) {
        const message = document.components.messages[`${type.replaceAll('.', '_')}_v${version}`] as { payload: { properties: { payload: unknown } } }
        expect(message.payload.properties.payload).toEqual(payload)
      }
    }
  })

  it('puts each event on the channel of its topic', () => {
    const users = Object.values(channels).find((c) => c.address === 'starling.users.v1')!
    expect(Object.keys(users.messages)).toContain('user_registered_v1')
  })
})
