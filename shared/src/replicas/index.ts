export * from './replica.repository.ts'
export * from './relation-replica.ts'
export * from './user-replica.ts'
export * from './media-replica.ts'
