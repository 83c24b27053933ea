// Event contracts and the bus's interface; nothing here loads a Kafka client (that is ./kafka).
export * from './contracts.ts'
export * from './envelope.ts'
export * from './catalog.ts'
export * from './event-bus.ts'
export * from './transient.ts'
export * from './live-frames.ts'
export { buildAsyncApi } from './asyncapi.ts'
