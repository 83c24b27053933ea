import Type from 'typebox'

/*
 * Event payload contracts, by type and version. A breaking change is a new version beside the old
 * one, never an edit: consumers must keep reading every version still on the topics.
 */

const Id = Type.String({ pattern: '^[0-9]{1,20}$', description: 'time-ordered 64-bit id, as a string' })
const Timestamp = Type.String({ format: 'date-time' })

export const UserRegisteredV1 = Type.Object({
  user_id: Id,
  username: Type.String(),
  display_name: Type.String(),
  created_at: Timestamp,
}, { additionalProperties: false })

export const contracts = {
  'user.registered': { 1: UserRegisteredV1 },
} as const

export type EventType = keyof typeof contracts
export type EventVersion<T extends EventType> = keyof (typeof contracts)[T] & number
export type PayloadOf<T extends EventType, V extends EventVersion<T> = EventVersion<T>> =
  Type.Static<(typeof contracts)[T][V] extends infer S extends Type.TSchema ? S : never>
