export * from './app-error.ts'
export * from './problem.ts'
export { errorHandlerPlugin, toProblem } from './error-handler.plugin.ts'
export * from './catalogue.ts'
