import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault, type RawRequestDefaultExpression, type RawReplyDefaultExpression } from 'fastify'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { errorHandlerPlugin } from '../errors/error-handler.plugin.ts'
import { buildAsyncApi } from '../events/asyncapi.ts'
import type { HttpConfig } from '../config/load-config.ts'
import { createLogger } from '../logging/logger.ts'
import { healthPlugin, type ReadinessCheck } from './health.plugin.ts'
import { metricsPlugin } from './metrics.plugin.ts'
import { rateLimitPlugin } from './rate-limit.plugin.ts'

export type ServiceApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

export interface ServiceAppOptions {
  service: string
  description: string
  config: HttpConfig
  /** Where the per-user limits are counted: Redis at REDIS_URL, or this process's memory (unit tests). */
  countLimitsIn?: 'redis' | 'memory'
  checks: Record<string, ReadinessCheck>
  logger?: Logger
  metrics?: Registry
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

function ajv(coerceTypes: boolean) {
  // removeAdditional off: unknown fields are rejected (additionalProperties: false), never silently dropped.
  const instance = new Ajv({ coerceTypes: coerceTypes ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: true, strict: false })
  addFormats.default(instance)
  return instance
}

/**
 * The Fastify instance every service starts from: TypeBox schemas, request ids from nginx's
 * X-Request-Id, problem+json errors, /healthz, /readyz, /metrics, its OpenAPI document at
 * /openapi.json and the AsyncAPI document of the topics at /asyncapi.json. The service registers
 * its routes on the result.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    loggerInstance: (options.logger ?? createLogger(options.service, options.config.LOG_LEVEL)) as FastifyBaseLogger,
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    },
    // Long path parameters reach the schema (400 problem+json) instead of the router's bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    return503OnClosing: true,
    // request.ip is the client's address as the gateway saw it, for the limits of anonymous calls.
    trustProxy: options.config.TRUST_PROXY,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Query strings and path params arrive as text and are coerced; JSON bodies must have the right types.
  const bodyAjv = ajv(false)
  const textAjv = ajv(true)
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema))
  // Only JSON is accepted; text/plain would otherwise be parsed into a string.
  app.removeContentTypeParser('text/plain')
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    // Which service answered, for operators reading responses through the gateway.
    reply.header('x-starling-service', options.service)
  })

  await app.register(errorHandlerPlugin)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Starling ${options.service} service`, description: options.description, version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(metricsPlugin, options.metrics ? { registry: options.metrics } : {})
  await app.register(healthPlugin, { service: options.service, checks: options.checks })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  // The same document on every service: the gateway serves it at /docs/asyncapi.json.
  app.get('/asyncapi.json', { schema: { hide: true } }, async () => buildAsyncApi())
  // Last: it limits the routes registered after it (the service's own), not health or metrics.
  await app.register(rateLimitPlugin, { ...options.config, ...(options.countLimitsIn === 'memory' ? { REDIS_URL: undefined } : {}) })
  return app
}
