import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { errorHandlerPlugin } from '../errors/error-handler.plugin.ts'
import { healthPlugin, type ReadinessCheck } from './health.plugin.ts'
import { metricsPlugin } from './metrics.plugin.ts'

export interface WorkerAppOptions {
  service: string
  logger: Logger
  metrics: Registry
  /** Dependencies the worker cannot work without. */
  checks: Record<string, ReadinessCheck>
  reports?: Record<string, ReadinessCheck>
}

/**
 * What a worker process answers on its port: /healthz, /readyz and /metrics, for the probes and
 * the scraper. It serves no API (the NetworkPolicies admit nothing else to it).
 */
export async function createWorkerApp(options: WorkerAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, return503OnClosing: true })
  await app.register(errorHandlerPlugin)
  await app.register(metricsPlugin, { registry: options.metrics })
  await app.register(healthPlugin, { service: `${options.service}-worker`, checks: options.checks, ...(options.reports ? { reports: options.reports } : {}) })
  return app
}
