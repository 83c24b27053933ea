import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isTransientError } from '../events/transient.ts'
import { ID_PATTERN } from '../schemas/id.ts'
import { STORABLE_TEXT, STORABLE_TEXT_MESSAGE } from '../schemas/text.ts'
import { AppError, type FieldError } from './app-error.ts'
import { titleOf } from './catalogue.ts'
import { PROBLEM_CONTENT_TYPE, problemType, type Problem } from './problem.ts'

/** The title of a platform code; a client error Fastify raised with no code of ours falls back to its status text. */
const title = (code: string, status: number) => titleOf(code) ?? STATUS_CODES[status] ?? 'Client Error'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** What a client is told to wait while a store is away: about how long a PostgreSQL restart takes. */
const DEPENDENCY_RETRY_AFTER_SECONDS = 5

// Fastify's own client errors, renamed to stable codes a client can rely on.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_BAD_URL: 'BAD_URL',
}

const fieldName = (instancePath: string, missing?: string) =>
  [...instancePath.split('/').filter(Boolean), ...(missing ? [missing] : [])].join('.') || '(root)'

/** Fastify/ajv validation errors become one field error each. */
function validationErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>
    if (v.keyword === 'required') return { field: fieldName(v.instancePath, String(params.missingProperty)), message: 'is required' }
    if (v.keyword === 'additionalProperties') {
      return { field: fieldName(v.instancePath, String(params.additionalProperty)), message: 'is not allowed' }
    }
    if (v.keyword === 'pattern' && params.pattern === STORABLE_TEXT) return { field: fieldName(v.instancePath), message: STORABLE_TEXT_MESSAGE }
    if (v.keyword === 'pattern' && params.pattern === ID_PATTERN) return { field: fieldName(v.instancePath), message: 'must be a 64-bit id: a decimal number from 0 to 9223372036854775807, as a string' }
    return { field: fieldName(v.instancePath), message: v.message ?? 'is invalid' }
  })
}

export function toProblem(error: FastifyError | AppError | Error, requestId: string): Problem & { headers?: Record<string, string> } {
  if (error instanceof AppError) {
    return {
      type: problemType(error.code), title: error.title, status: error.status, code: error.code, request_id: requestId,
      ...(error.detail ? { detail: error.detail } : {}),
      ...(error.errors ? { errors: error.errors } : {}),
      ...(error.headers ? { headers: error.headers } : {}),
    }
  }
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'request'
    return {
      type: problemType('VALIDATION_FAILED'), title: title('VALIDATION_FAILED', 400), status: 400, code: 'VALIDATION_FAILED',
      detail: `The ${part} is not valid.`, errors: validationErrors(fastifyError), request_id: requestId,
    }
  }
  const status = fastifyError.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // JSON.parse failures surface as SyntaxError with statusCode 400.
    const malformed = error instanceof SyntaxError
    const code = malformed ? 'MALFORMED_JSON' : FASTIFY_CODES[fastifyError.code] ?? (status === 400 ? 'BAD_REQUEST' : `HTTP_${status}`)
    return {
      type: problemType(code), title: title(code, status), status,
      code, detail: malformed ? 'The body is not valid JSON.' : error.message,
      request_id: requestId,
    }
  }
  // A store that is away (PostgreSQL restarting, Redis unreachable) is a reason to come back, not a bug.
  if (isTransientError(error)) {
    return {
      type: problemType('DEPENDENCY_UNAVAILABLE'), title: title('DEPENDENCY_UNAVAILABLE', 503), status: 503, code: 'DEPENDENCY_UNAVAILABLE',
      detail: 'A store this service needs is not answering; try again shortly.', request_id: requestId,
      headers: { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    }
  }
  return {
    type: problemType('INTERNAL'), title: title('INTERNAL', 500), status: 500, code: 'INTERNAL',
    detail: 'Something went wrong on our side; the request id identifies it in our logs.', request_id: requestId,
  }
}

export function sendProblem(reply: FastifyReply, problem: ReturnType<typeof toProblem>) {
  const { headers, ...body } = problem
  if (headers) reply.headers(headers)
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body)
}

/** One error handler for every service: application/problem+json, 5xx details only in logs. */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error, request.id)
    // An AppError 5xx (e.g. 503 while a dependency is away) is expected: no stack trace needed.
    if (problem.code === 'DEPENDENCY_UNAVAILABLE') request.log.warn({ code: problem.code, reason: error.message }, 'request refused: a store is away')
    else if (problem.status >= 500 && !(error instanceof AppError)) request.log.error({ err: error }, 'request failed')
    else if (problem.status >= 500) request.log.warn({ code: problem.code, status: problem.status, cause: (error.cause as Error | undefined)?.message }, 'request refused')
    else request.log.info({ code: problem.code, status: problem.status }, 'request rejected')
    return sendProblem(reply, problem)
  })
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!
    // A path the router knows under other methods: 405 with what it answers, not a 404.
    const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }))
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendProblem(reply, {
        type: problemType('METHOD_NOT_ALLOWED'), title: title('METHOD_NOT_ALLOWED', 405), status: 405, code: 'METHOD_NOT_ALLOWED',
        detail: `${request.method} is not an operation of ${path}; it answers ${allowed.join(', ')}.`, request_id: request.id,
      })
    }
    return sendProblem(reply, {
      type: problemType('ROUTE_NOT_FOUND'), title: title('ROUTE_NOT_FOUND', 404), status: 404, code: 'ROUTE_NOT_FOUND',
      detail: `No route for ${request.method} ${path}.`, request_id: request.id,
    })
  })
}, { name: 'starling-errors' })
