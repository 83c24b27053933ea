import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault, type RawRequestDefaultExpression, type RawReplyDefaultExpression } from 'fastify'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { platformErrors as errors, type Catalogue } from '../errors/catalogue.ts'
import { errorHandlerPlugin, sendProblem, toProblem } from '../errors/error-handler.plugin.ts'
import { buildAsyncApi } from '../events/asyncapi.ts'
import { csv, type HttpConfig } from '../config/load-config.ts'
import { createLogger } from '../logging/logger.ts'
import { duplicateKey } from './json-body.ts'
import { documentErrors, documentOptionalBodies, openApiComponents } from './openapi.ts'
import { healthPlugin, type ReadinessCheck } from './health.plugin.ts'
import { metricsPlugin } from './metrics.plugin.ts'
import { rateLimitPlugin } from './rate-limit.plugin.ts'

export type ServiceApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

export interface ServiceAppOptions {
  service: string
  description: string
  /** The service's error catalogue (errors.ts): the OpenAPI document gives each code's title. */
  errors?: { catalogue: Catalogue }
  /** With KAFKA_BROKERS when the service has them: the AsyncAPI document names those servers. */
  config: HttpConfig & { KAFKA_BROKERS?: string }
  /** Where the per-user limits are counted: Redis at REDIS_URL, or this process's memory (unit tests). */
  countLimitsIn?: 'redis' | 'memory'
  /** Dependencies it cannot answer without (see healthPlugin). */
  checks: Record<string, ReadinessCheck>
  /** Dependencies it answers without, degraded (Kafka, an outbox's backlog). */
  reports?: Record<string, ReadinessCheck>
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
    // The router's own refusals (a parameter past maxParamLength, a malformed URL) as problem+json too.
    frameworkErrors: (error, request, reply) => sendProblem(reply, toProblem(error, request.id)),
    // request.ip is the client's address as the gateway saw it, for the limits of anonymous calls.
    trustProxy: options.config.TRUST_PROXY,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Query strings and path params arrive as text and are coerced; JSON bodies must have the right types.
  const bodyAjv = ajv(false)
  const textAjv = ajv(true)
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema))
  // Only JSON is accepted; text/plain would otherwise be parsed into a string.
  app.removeContentTypeParser('text/plain')
  // Bodies: UTF-8 or nothing (a decoder would quietly turn bad bytes into U+FFFD), then Fastify's
  // JSON parser (which refuses __proto__ and constructor.prototype), then no key twice in one
  // object (JSON.parse would keep the last one without a word).
  const parseJson = app.getDefaultJsonParser('error', 'error')
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    let body: string
    try {
      body = utf8.decode(raw as Buffer)
    } catch {
      return done(errors.MALFORMED_UTF8('The body is not valid UTF-8.'), undefined)
    }
    parseJson(request, body, (error, value) => {
      const duplicate = error ? undefined : duplicateKey(body)
      if (duplicate !== undefined) return done(errors.DUPLICATE_KEY('A key appears twice in one object of the body.', { errors: [{ field: duplicate, message: 'appears twice' }] }), undefined)
      done(error, value)
    })
  })
  // Query strings likewise: percent-encoded bytes that are no UTF-8 are refused, not replaced.
  app.addHook('onRequest', async (request) => {
    const start = request.url.indexOf('?')
    if (start === -1) return
    try {
      decodeURIComponent(request.url.slice(start + 1))
    } catch {
      throw errors.MALFORMED_QUERY('The query string is not valid percent-encoded UTF-8.')
    }
  })
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
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, ...openApiComponents },
    },
    transform: ({ schema, url }) => ({ schema: schema && !schema.hide ? documentErrors(schema, options.errors?.catalogue) : schema, url }),
    transformObject: (document) => ('openapiObject' in document ? documentOptionalBodies(document.openapiObject) : document.swaggerObject),
  })
  await app.register(metricsPlugin, options.metrics ? { registry: options.metrics } : {})
  await app.register(healthPlugin, {
    service: options.service, checks: options.checks,
    // Redis, where it holds only the per-user limits and the revoked logins: without it, both fail open.
    reports: { redis: async () => { await app.limitCounter?.ping() }, ...options.reports },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  // The same document on every service: the gateway serves it at /docs/asyncapi.json.
  app.get('/asyncapi.json', { schema: { hide: true } }, async () => buildAsyncApi(csv(options.config.KAFKA_BROKERS ?? '')))
  // Last: it limits the routes registered after it (the service's own), not health or metrics.
  await app.register(rateLimitPlugin, { ...options.config, ...(options.countLimitsIn === 'memory' ? { REDIS_URL: undefined } : {}) })
  return app
}
