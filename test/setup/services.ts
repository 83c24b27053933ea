import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TObject } from 'typebox'

/**
 * What the services declare about themselves, for the deployment tests: their names (a folder under
 * services/ with a server.ts), each one's env schema (config.ts), and the image's environment.
 */
export const root = fileURLToPath(new URL('../..', import.meta.url))
export const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8')

export const appNames = fs.readdirSync(path.join(root, 'services'))
  .filter((name) => fs.existsSync(path.join(root, 'services', name, 'src', 'server.ts'))).sort()

export const configSchemas: Record<string, TObject> = Object.fromEntries(await Promise.all(appNames.map(async (name) => {
  const module: Record<string, unknown> = await import(path.join(root, 'services', name, 'src', 'config.ts'))
  const schema = Object.entries(module).find(([key]) => key.endsWith('ConfigSchema'))?.[1]
  if (!schema) throw new Error(`services/${name}/src/config.ts exports no *ConfigSchema`)
  return [name, schema as TObject] as const
})))

export const declares = (name: string, key: string) => key in configSchemas[name]!.properties
export const defaultOf = (name: string, key: string) => (configSchemas[name]!.properties[key] as { default?: unknown } | undefined)?.default
export const usesPostgres = (name: string) => declares(name, 'DATABASE_URL')

/** A service's own source (services/<name>/src, tests left out), for what it wires up. */
export function sourceOf(name: string): string {
  const dir = path.join(root, 'services', name, 'src')
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => fs.readFileSync(path.join(dir, file), 'utf8')).join('\n')
}
/** Whether a service keeps the shared replicas' tables (shared/src/replicas) in its database, and so migrates with --replicas. */
export const usesReplicas = (name: string) => /\bcreateReplicaRepository\(/.test(sourceOf(name))
/** Whether a service has a worker entrypoint (Kafka consumers, outbox relay) beside its server. */
export const hasWorker = (name: string) => fs.existsSync(path.join(root, 'services', name, 'src', 'worker.ts'))

/** ENV of the image's final stage (services/Dockerfile): what every service container starts with. */
export function imageEnvironment(): Record<string, string> {
  const lines = read('services/Dockerfile').replace(/\\\n/g, ' ').split('\n')
  const runtime = lines.slice(lines.findLastIndex((line) => /^FROM\s/i.test(line)))
  return Object.fromEntries(runtime.filter((l) => /^ENV\s/i.test(l)).flatMap((l) => [...l.slice(4).matchAll(/([A-Za-z_]\w*)=(\S*)/g)].map(([, k, v]) => [k!, v!])))
}
