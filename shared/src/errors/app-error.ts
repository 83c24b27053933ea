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
 * the handler turns it into application/problem+json with `status`. Made from a catalogue
 * (defineErrors), never inline, so every code a service answers with is listed in one place.
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
