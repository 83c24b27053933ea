import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../src/testing/index.ts'
import { createEvent, type Consumer, type EventBus, type EventEnvelope } from '@starling/shared/events'
import { testEnv } from '../../test/setup/env.ts'
import { freshTopic, produceRaw, testBus, userRegistered, watchDeadLetters } from './fixtures/kafka.ts'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {})
})

function track<T extends EventBus | Consumer | { stop(): Promise<unknown> }>(resource: T): T {
  cleanups.push(() => ('close' in resource ? resource.close() : resource.stop()))
  return resource
}

async function collect(bus: EventBus, topic: string, group = `g-${randomUUID()}`, handle?: (event: EventEnvelope) => Promise<void>) {
  const received: EventEnvelope[] = []
  track(await bus.subscribe({
    group, topics: [topic],
    handle: async (event) => {
      await handle?.(event)
      received.push(event)
    },
  }))
  return received
}

describe('Kafka event bus', () => {
  it('delivers published events in order with their envelope intact', async () => {
    const topic = await freshTopic()
    const bus = track(testBus())
    const events = ['ada', 'grace', 'linus'].map(userRegistered)
    await bus.publish(topic, events)

    const received = await collect(bus, topic)
    await waitFor(() => received.length === 3, { what: 'three events' })
    expect(received).toEqual(events)
  })

  it('refuses to publish an event that breaks its contract', async () => {
    const topic = await freshTopic()
    const bus = track(testBus())
    const bad = { ...userRegistered('ada'), payload: { user_id: 'not-a-number' } } as unknown as EventEnvelope
    await expect(bus.publish(topic, [bad])).rejects.toThrow(/payload/)
  })

  it('dead-letters a message that is not an event and goes on with the next one', async () => {
    const topic = await freshTopic()
    const dead = await watchDeadLetters(topic)
    cleanups.push(dead.stop)
    await produceRaw(topic, [{ key: '42', value: '{not json' }])
    const bus = track(testBus())
    const good = userRegistered('after-poison')
    await bus.publish(topic, [good])

    const received = await collect(bus, topic)
    await waitFor(() => received.length === 1, { what: 'the event behind the poison message' })
    expect(received[0]!.id).toBe(good.id)
    await waitFor(() => dead.received.length === 1, { what: 'a dead letter' })
    expect(dead.received[0]!.value!.toString()).toBe('{not json')
    expect(dead.received[0]!.headers!['dlq-error']!.toString()).toMatch(/not JSON/)
    expect(dead.received[0]!.headers!['dlq-source-offset']!.toString()).toBe('0')
  })

  it('dead-letters an event whose handler keeps failing, after retrying it, and goes on', async () => {
    const topic = await freshTopic()
    const dead = await watchDeadLetters(topic)
    cleanups.push(dead.stop)
    const bus = track(testBus())
    const [doomed, fine] = [userRegistered('doomed'), userRegistered('fine')]
    await bus.publish(topic, [doomed!, fine!])

    let attempts = 0
    const received = await collect(bus, topic, undefined, async (event) => {
      if (event.id === doomed!.id) {
        attempts++
        throw new TypeError('handler bug')
      }
    })
    await waitFor(() => received.length === 1, { what: 'the healthy event' })
    expect(received[0]!.id).toBe(fine!.id)
    expect(attempts).toBe(3)
    await waitFor(() => dead.received.length === 1, { what: 'a dead letter' })
    expect(dead.received[0]!.headers!['event-id']!.toString()).toBe(doomed!.id)
    expect(dead.received[0]!.headers!['dlq-error']!.toString()).toMatch(/handler bug/)
  })

  it('retries a transient failure in place until it succeeds, without dead-lettering', async () => {
    const topic = await freshTopic()
    const dead = await watchDeadLetters(topic)
    cleanups.push(dead.stop)
    const bus = track(testBus())
    const event = userRegistered('patient')
    await bus.publish(topic, [event])

    let failures = 0
    const received = await collect(bus, topic, undefined, async () => {
      if (failures++ < 6) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { code: 'ECONNREFUSED' })
    })
    await waitFor(() => received.length === 1, { what: 'the event after the dependency came back' })
    expect(failures).toBe(7)
    expect(dead.received).toEqual([])
  })

  it('hands a whole batch to the handler at once when order does not matter, and commits it', async () => {
    const topic = await freshTopic()
    const group = `g-${randomUUID()}`
    const bus = track(testBus())
    const events = ['a', 'b', 'c', 'd', 'e'].map(userRegistered)
    await bus.publish(topic, events)

    // Each handler holds until all five started: handled one after another, none would finish.
    let started = 0
    const received: EventEnvelope[] = []
    const consumer = await bus.subscribe({
      group, topics: [topic], order: 'none',
      handle: async (event) => {
        started++
        await waitFor(() => started === events.length, { timeoutMs: 10_000, what: 'the rest of the batch to start' })
        received.push(event)
      },
    })
    await waitFor(() => received.length === events.length, { timeoutMs: 20_000, what: 'the batch' })
    expect(new Set(received.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)))
    await consumer.stop()

    const later = userRegistered('later')
    await bus.publish(topic, [later])
    const again = await collect(bus, topic, group)
    await waitFor(() => again.length === 1, { what: 'the event after the committed batch' })
    expect(again.map((e) => e.id)).toEqual([later.id])
  })

  it('with order by key, runs different keys at once and keeps each key in order', async () => {
    const topic = await freshTopic()
    const bus = track(testBus())
    const onKey = (key: string, name: string) => createEvent('user.registered', 1, key, { user_id: key, username: name, display_name: name, created_at: new Date().toISOString() })
    const [a1, a2, b1] = [onKey('1', 'a1'), onKey('1', 'a2'), onKey('2', 'b1')]
    await bus.publish(topic, [a1!, a2!, b1!])

    // a1 holds until b1 started: one after another, b1 (behind a2) never would.
    const log: string[] = []
    const consumer = track(await bus.subscribe({
      group: `g-${randomUUID()}`, topics: [topic], order: 'key',
      handle: async (event) => {
        const name = event.type === 'user.registered' ? event.payload.username : ''
        log.push(`start ${name}`)
        if (name === 'a1') await waitFor(() => log.includes('start b1'), { timeoutMs: 10_000, what: 'the other key to start' })
        log.push(`end ${name}`)
      },
    }))
    await waitFor(() => log.filter((l) => l.startsWith('end')).length === 3, { timeoutMs: 20_000, what: 'the three events' })
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'))
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'))
    await consumer.stop()
  })

  it('redelivers an event to the group when its consumer dies before committing', async () => {
    const topic = await freshTopic()
    const group = `g-${randomUUID()}`
    const bus = track(testBus({ sessionTimeoutMs: 6000 }))
    const event = userRegistered('survivor')
    await bus.publish(topic, [event])

    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/hanging-consumer.ts', import.meta.url)), testEnv.kafkaBrokers.join(','), topic, group])
    cleanups.push(async () => child.kill('SIGKILL'))
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    await waitFor(() => output.includes(`received ${event.id}`), { timeoutMs: 30_000, what: 'the first consumer to receive the event' })
    child.kill('SIGKILL')

    const received = await collect(bus, topic, group)
    await waitFor(() => received.length === 1, { timeoutMs: 45_000, what: 'redelivery to the second consumer' })
    expect(received[0]!.id).toBe(event.id)
  })
})
