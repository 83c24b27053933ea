export * from './run-service.ts'
export * from './run-worker.ts'
export { servicePlatform } from './service-platform.ts'
