import type { TSchema } from 'typebox'
import { AppError, type FieldError } from './app-error.ts'
import { Problem } from './problem.ts'

/** One code of a catalogue: the status it is answered with and its title (the same for every occurrence). */
export interface ErrorEntry {
  status: number
  title: string
}
export type Catalogue = Record<string, ErrorEntry>

export interface RaiseOptions {
  errors?: FieldError[]
  headers?: Record<string, string>
  /** For 503s: when to try again. */
  retryAfterSeconds?: number
  cause?: unknown
}
/** Builds the error of one code, with what this occurrence says (`detail`). */
export type Raise = (detail: string, options?: RaiseOptions) => AppError

/** The key of a response schema that names the codes a route may answer with that status. */
export const PROBLEM_CODES = 'x-problem-codes'

/**
 * Codes the shared platform answers with, on every service: validation, tokens, limits, routing.
 * Services list their own codes with defineErrors and refer to these by name.
 */
export const platformCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  MALFORMED_UTF8: { status: 400, title: 'The body is not UTF-8' },
  MALFORMED_QUERY: { status: 400, title: 'The query string is not percent-encoded UTF-8' },
  DUPLICATE_KEY: { status: 400, title: 'A key appears twice in one JSON object' },
  MALFORMED_JSON: { status: 400, title: 'The body is not JSON' },
  EMPTY_BODY: { status: 400, title: 'The JSON body is empty' },
  INVALID_CONTENT_LENGTH: { status: 400, title: 'Content-Length does not match the body' },
  BAD_URL: { status: 400, title: 'The URL cannot be decoded' },
  BAD_REQUEST: { status: 400, title: 'The request cannot be read' },
  INVALID_CURSOR: { status: 400, title: 'The cursor was not given out by this list' },
  AUTH_REQUIRED: { status: 401, title: 'An access token is needed' },
  AUTH_TOKEN_INVALID: { status: 401, title: 'The access token is not valid' },
  AUTH_TOKEN_EXPIRED: { status: 401, title: 'The access token has expired' },
  AUTH_TOKEN_REVOKED: { status: 401, title: 'The login has ended' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'The route does not take this method' },
  BODY_TOO_LARGE: { status: 413, title: 'The body is too large' },
  URI_TOO_LONG: { status: 414, title: 'The URL is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body must be JSON' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A store the service needs is away' },
} as const satisfies Catalogue
export type PlatformCode = keyof typeof platformCatalogue

/**
 * Codes only the gateway (nginx) answers with. It also answers some platform codes itself
 * (BAD_REQUEST, ROUTE_NOT_FOUND, METHOD_NOT_ALLOWED, BODY_TOO_LARGE, URI_TOO_LONG, RATE_LIMITED),
 * with the same status and title; scripts/docs/error-table.test.ts checks nginx.conf.template.
 */
export const gatewayCatalogue = {
  TOKEN_IN_URL: { status: 400, title: 'Secrets are not accepted in the URL' },
  UPSTREAM_UNAVAILABLE: { status: 503, title: 'The service behind this endpoint is not answering' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'The service behind this endpoint did not answer in time' },
  // The object store's refusals of a presigned upload (its XML answers, as problem+json).
  UPLOAD_INVALID: { status: 400, title: 'The store refused the upload' },
  UPLOAD_REFUSED: { status: 403, title: 'The upload policy does not allow this' },
} as const satisfies Catalogue

/** What a route that needs a token may answer besides its own codes. */
export const SIGNED_IN = ['AUTH_REQUIRED', 'AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_REVOKED', 'RATE_LIMITED'] as const

function raiser(code: string, entry: ErrorEntry): Raise {
  return (detail, options = {}) => {
    const headers: Record<string, string> = {
      ...(entry.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...(options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) }),
      ...options.headers,
    }
    return new AppError(entry.status, code, entry.title, {
      detail,
      ...(options.errors ? { errors: options.errors } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    })
  }
}

/**
 * A service's error catalogue: every code it can answer with, its status and title. Routes and
 * services throw `errors.CODE(detail)`; routes declare what they answer with
 * `errors.responses('CODE', ...)`, and the OpenAPI document lists those codes per status.
 */
export function defineErrors<const C extends Catalogue>(service: string, catalogue: C) {
  const all: Catalogue = { ...platformCatalogue, ...catalogue }
  const raise = Object.fromEntries(Object.entries(all).map(([code, entry]) => [code, raiser(code, entry)])) as
    { [K in keyof C | PlatformCode]: Raise }
  return {
    ...raise,
    service,
    /** This service's own codes (the platform's are in platformCatalogue). */
    catalogue,
    /**
     * Response schemas for a route's errors, one per status, each naming its codes. Spread into
     * a route's `response`.
     */
    responses(...codes: (keyof C | PlatformCode)[]): Record<number, TSchema> {
      const byStatus = new Map<number, string[]>()
      for (const code of codes) {
        const entry = all[code as string]!
        byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), code as string])
      }
      return Object.fromEntries([...byStatus].map(([status, listed]) => [status, { ...Problem, [PROBLEM_CODES]: listed.sort() }]))
    },
  }
}
export type ErrorCatalogue = ReturnType<typeof defineErrors>

/** The platform's own errors, for the shared plugins. */
export const platformErrors = defineErrors('platform', {})
/** Title of a code, from the platform catalogue or a service's. */
export const titleOf = (code: string, catalogue: Catalogue = {}) => (catalogue[code] ?? (platformCatalogue as Catalogue)[code])?.title
