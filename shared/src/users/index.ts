export * from './user-replica.ts'
