import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { buildAsyncApi } from './asyncapi.ts'
import { allTopics } from './catalog.ts'
import { contracts } from './contracts.ts'
import schema from '@asyncapi/specs/schemas/3.0.0-without-$id.json' with { type: 'json' }

describe('AsyncAPI document', () => {
  const document = buildAsyncApi(['kafka-0.kafka-brokers.starling.svc:9092', 'kafka-1.kafka-brokers.starling.svc:9092'])

  it('is valid AsyncAPI 3.0', () => {
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormats.default(ajv)
    const validate = ajv.compile(schema)
    const valid = validate(document)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  it('names the brokers it was given, not a fixed one', () => {
    expect(Object.values(document.servers).map((s) => s.host)).toEqual(['kafka-0.kafka-brokers.starling.svc:9092', 'kafka-1.kafka-brokers.starling.svc:9092'])
  })

  it('describes every topic of the catalog, with its address', () => {
    const addresses = Object.values(document.channels).map((c) => c.address)
    expect(addresses.sort()).toEqual(allTopics.map((t) => t.name).sort())
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
    const users = Object.values(document.channels).find((c) => c.address === 'starling.users.v1')!
    expect(Object.keys(users.messages)).toContain('user_registered_v1')
  })
})
