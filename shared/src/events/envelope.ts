import { randomUUID } from 'node:crypto'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { contracts, type EventType, type EventVersion, type PayloadOf } from './contracts.ts'

/** Every message on every topic is one of these, serialized as JSON. */
export const EventEnvelope = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: Type.String({ minLength: 1 }),
  version: Type.Integer({ minimum: 1 }),
  occurred_at: Type.String({ format: 'date-time' }),
  key: Type.String({ minLength: 1, description: 'aggregate id; also the Kafka message key' }),
  payload: Type.Unknown(),
}, { additionalProperties: false })

/** A union over event types, so `switch (event.type)` narrows `payload` in handlers. */
export type EventEnvelope<T extends EventType = EventType> = T extends EventType ? {
  id: string
  type: T
  version: number
  occurred_at: string
  key: string
  payload: PayloadOf<T>
} : never

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidEventError'
  }
}

const envelopeValidator = Compile(EventEnvelope)
const payloadValidators = new Map(
  Object.entries(contracts).flatMap(([type, versions]) =>
    Object.entries(versions).map(([version, schema]) => [`${type}@${version}`, Compile(schema as Type.TSchema)] as const),
  ),
)

const describe = (errors: { instancePath: string; message: string }[]) =>
  errors.slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ')

/** Checks the envelope and its payload against the contract of its type and version. */
export function validateEvent(value: unknown): EventEnvelope {
  if (!envelopeValidator.Check(value)) throw new InvalidEventError(`bad envelope: ${describe(envelopeValidator.Errors(value))}`)
  const validator = payloadValidators.get(`${value.type}@${value.version}`)
  if (!validator) throw new InvalidEventError(`unknown event ${value.type} v${value.version}`)
  if (!validator.Check(value.payload)) {
    throw new InvalidEventError(`bad ${value.type} v${value.version} payload: ${describe(validator.Errors(value.payload))}`)
  }
  return value as EventEnvelope
}

/** Builds a valid event, or throws before anything is written. */
export function createEvent<T extends EventType>(
  type: T,
  version: EventVersion<T>,
  key: string,
  payload: PayloadOf<T>,
  occurredAt = new Date(),
): EventEnvelope<T> {
  return validateEvent({ id: randomUUID(), type, version, occurred_at: occurredAt.toISOString(), key, payload }) as unknown as EventEnvelope<T>
}

/** Parses a Kafka message value; anything that is not a valid event is an InvalidEventError. */
export function decodeEvent(value: Buffer | null): EventEnvelope {
  if (!value) throw new InvalidEventError('empty message')
  let parsed: unknown
  try {
    parsed = JSON.parse(value.toString('utf8'))
  } catch {
    throw new InvalidEventError('message is not JSON')
  }
  return validateEvent(parsed)
}
