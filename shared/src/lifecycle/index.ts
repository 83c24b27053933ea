export * from './run-service.ts'
export * from './run-worker.ts'
