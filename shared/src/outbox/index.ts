export * from './outbox.ts'
export * from './unit-of-work.ts'
