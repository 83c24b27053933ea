import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { authOptions, authPlugin, type JwtVerifyConfig } from '../auth/auth.plugin.ts'
import type { HttpConfig } from '../config/load-config.ts'
import type { Catalogue } from '../errors/catalogue.ts'
import { createServiceApp } from './create-service-app.ts'
import type { ReadinessCheck } from './health.plugin.ts'

/** What every service's compose(config) returns besides its own services: the API app is built over it. */
export interface ServiceDeps {
  service: string
  config: HttpConfig & JwtVerifyConfig & { KAFKA_BROKERS?: string }
  logger: Logger
  metrics: Registry
  checks: Record<string, ReadinessCheck>
  reports?: Record<string, ReadinessCheck>
  /** Ends what compose opened. */
  close(): Promise<void>
}

/**
 * A service's API app over its dependencies: the platform app (createServiceApp), the token
 * checks, and the dependencies closed when the app closes. The service registers its routes on it.
 */
export async function createApiApp(deps: ServiceDeps, about: { description: string; errors: { catalogue: Catalogue } }) {
  const app = await createServiceApp({
    service: deps.service,
    description: about.description,
    config: deps.config,
    errors: about.errors,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: deps.checks,
    ...(deps.reports ? { reports: deps.reports } : {}),
  })
  app.addHook('onClose', () => deps.close())
  await app.register(authPlugin, authOptions(deps.config))
  return app
}
