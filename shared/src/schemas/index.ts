export * from './id.ts'
export { IdempotencyHeaders, isStorableText, Text } from './text.ts'
export * from './public.ts'
