import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import { createLogger } from '../logging/logger.ts'

/**
 * What every service's compose(config) starts from and hands on: its name, its config, its logger
 * (or the one a test passes) and the metrics registry its API or worker serves at /metrics.
 */
export function servicePlatform<C extends { LOG_LEVEL: string }>(service: string, config: C, options: { logger?: Logger } = {}) {
  return { service, config, logger: options.logger ?? createLogger(service, config.LOG_LEVEL), metrics: new Registry() }
}
