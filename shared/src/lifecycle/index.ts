export * from './run-service.ts'
