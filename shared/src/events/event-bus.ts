import type { EventEnvelope } from './envelope.ts'

export interface EventContext {
  topic: string
  partition: number
  offset: string
}

export type EventHandler = (event: EventEnvelope, context: EventContext) => Promise<void>

export interface Subscription {
  /** Consumer group; one per service and purpose, e.g. `search-indexer`. */
  group: string
  topics: string[]
  handle: EventHandler
  fromBeginning?: boolean
  /** Partitions handled at once (order still holds within each partition). Default: every partition of `topics`. */
  concurrency?: number
  /**
   * What must happen in order within a fetched batch:
   * - `partition` (default): every message, one after another;
   * - `key`: messages with the same key, one after another, while different keys run at once.
   *   The bus promises order per key only, so this keeps every guarantee a handler can rely on;
   *   the handler must be safe to run concurrently for different keys;
   * - `none`: all at once, so writes can share a round trip (the search indexer's bulk requests).
   *   Only for handlers whose effect does not depend on order, e.g. versioned writes.
   * Offsets are committed up to the first message not handled yet, whatever the order.
   */
  order?: 'partition' | 'key' | 'none'
}

export interface Consumer {
  /** Stops fetching, lets the message in hand finish, commits what was handled. */
  stop(): Promise<void>
}

/**
 * The seam between Starling and its Kafka client: services publish and subscribe through this and
 * never import the client. `createKafkaEventBus` is the kafkajs implementation.
 */
export interface EventBus {
  /** Publishes events in order; resolves when every broker replica acknowledged (acks=-1). */
  publish(topic: string, events: EventEnvelope[]): Promise<void>
  /**
   * Delivers each event at least once, in order per key. The offset is committed only after the
   * handler resolved; a handler must therefore be idempotent. Invalid events and events whose
   * handler keeps failing go to the dead-letter topic; transient failures are retried in place.
   */
  subscribe(subscription: Subscription): Promise<Consumer>
  /** Resolves when the bus can reach the brokers. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** A handler throws this when an event can never be processed (retrying cannot help). */
export class PoisonEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PoisonEventError'
  }
}
