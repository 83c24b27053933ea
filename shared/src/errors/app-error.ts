/** A field-level problem, reported in the `errors` member of a problem document. */
export interface FieldError {
  field: string
  message: string
}

export interface AppErrorOptions {
  detail?: string
  errors?: FieldError[]
  headers?: Record<string, string>
  cause?: unknown
}

/**
 * An error a client can act on. `code` is stable and documented (e.g. `USR_USERNAME_TAKEN`);
 * the handler turns it into application/problem+json with `status`.
 */
export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor(status: number, code: string, title: string, options: AppErrorOptions = {}) {
    super(options.detail ?? title, { cause: options.cause })
    this.name = 'AppError'
    this.status = status
    this.code = code
    this.title = title
    this.detail = options.detail
    this.errors = options.errors
    this.headers = options.headers
  }
}

export const badRequest = (code: string, detail: string, errors?: FieldError[]) =>
  new AppError(400, code, 'Bad Request', { detail, errors })
export const unauthorized = (code: string, detail: string) =>
  new AppError(401, code, 'Unauthorized', { detail, headers: { 'www-authenticate': 'Bearer' } })
export const forbidden = (code: string, detail: string) => new AppError(403, code, 'Forbidden', { detail })
export const notFound = (code: string, detail: string) => new AppError(404, code, 'Not Found', { detail })
export const conflict = (code: string, detail: string, errors?: FieldError[]) =>
  new AppError(409, code, 'Conflict', { detail, errors })
export const unprocessable = (code: string, detail: string) =>
  new AppError(422, code, 'Unprocessable Content', { detail })
export const unavailable = (code: string, detail: string, retryAfterSeconds: number) =>
  new AppError(503, code, 'Service Unavailable', { detail, headers: { 'retry-after': String(retryAfterSeconds) } })
