import { STATUS_CODES } from 'node:http'
import type { FastifySchema } from 'fastify'
import { PROBLEM_CODES, platformCatalogue, type Catalogue } from '../errors/catalogue.ts'
import { Problem, PROBLEM_CONTENT_TYPE } from '../errors/problem.ts'

/** Answers any operation may get: from the gateway (400, 414, 429, 502–504) or the service (500, 503). */
const ANY_OPERATION: Record<number, string> = {
  400: 'Bad Request: the request is not valid (the gateway also refuses headers past its buffers)',
  414: 'URI Too Long',
  429: 'Too Many Requests: a limit per address (the gateway) or per account (the service); see Retry-After',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable: the service or a store it needs is away; see Retry-After',
  504: 'Gateway Timeout',
}
/** And any operation with a body. */
const WITH_BODY: Record<number, string> = { 413: 'Content Too Large', 415: 'Unsupported Media Type: the body must be JSON' }

type Responses = Record<string, unknown>

/** Where the document keeps the Problem schema (components.schemas, see createServiceApp). */
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' }
export const openApiComponents = { schemas: { Problem } }

/**
 * The OpenAPI view of a route's schema: every error documented as what it is served as,
 * application/problem+json (the route's schemas only say what its body looks like), and the
 * answers every operation may get added. Validation and serialization keep the route's own schema.
 */
export function documentErrors(schema: FastifySchema, catalogue: Catalogue = {}): FastifySchema {
  const declared = (schema.response ?? {}) as Responses
  const common = { ...ANY_OPERATION, ...(schema.body ? WITH_BODY : {}) }
  const titles: Catalogue = { ...platformCatalogue, ...catalogue }
  // The codes a route declared for a status (errors.responses), each with its title.
  const codesOf = (status: string) => ((declared[status] as Record<string, unknown> | undefined)?.[PROBLEM_CODES] as string[] | undefined) ?? []
  const problem = (status: string) => {
    const codes = codesOf(status)
    const description = [common[Number(status)] ?? STATUS_CODES[status] ?? 'Error', ...codes.map((code) => `- \`${code}\`: ${titles[code]?.title ?? ''}`)].join('\n')
    return { description, ...(codes.length ? { [PROBLEM_CODES]: codes } : {}), content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } }
  }
  const statuses = [...new Set([...Object.keys(declared), ...Object.keys(common)])].sort()
  // Every error body is the one Problem shape, so the document refers to it instead of repeating it.
  const response = Object.fromEntries(statuses.map((status) => [status, Number(status) >= 400 ? problem(status) : declared[status]]))
  return { ...schema, response }
}

/** A route's schema key that says its body may be left out (Fastify's schema has no word for it). */
export const OPTIONAL_BODY = 'x-optional-body'

type Operation = { requestBody?: { required?: boolean }; [OPTIONAL_BODY]?: boolean }

/** The document as served: a body marked OPTIONAL_BODY is documented as not required. */
export function documentOptionalBodies<T extends { paths?: object }>(document: T): T {
  for (const item of Object.values(document.paths ?? {}) as Record<string, unknown>[]) {
    for (const operation of Object.values(item ?? {}) as Operation[]) {
      if (!operation?.[OPTIONAL_BODY]) continue
      delete operation[OPTIONAL_BODY]
      if (operation.requestBody) operation.requestBody.required = false
    }
  }
  return document
}
