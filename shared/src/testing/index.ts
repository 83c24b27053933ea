export { waitFor } from './wait-for.ts'
export { createMemoryUnitOfWork } from './memory-unit-of-work.ts'
export { createMemoryReplicaRepository } from './memory-replica-repository.ts'
export { createMemoryMediaReplicaRepository } from './memory-media-replica.ts'
