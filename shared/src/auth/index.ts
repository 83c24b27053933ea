export * from './auth.plugin.ts'
export { publishRevocation, type Revocation, type RevocationList } from './revocation-list.ts'
