export * from './id.ts'
export { isStorableText, Text } from './text.ts'
export * from './public.ts'
