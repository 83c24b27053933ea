import { pino, type Logger, type LoggerOptions } from 'pino'

/** Never logged, wherever they appear in a request, a body or an error. */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization',
  'password', '*.password', 'token', '*.token', 'access_token', '*.access_token', 'refresh_token', '*.refresh_token',
  'email', '*.email',
]

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }
}

// Asynchronous stdout: lines logged while a write is under way go out together in the next one,
// instead of a blocking write per line (two per request). pino flushes it when the process exits.
// https://github.com/pinojs/pino/blob/main/docs/asynchronous.md
export function createLogger(service: string, level = 'info'): Logger {
  return pino(loggerOptions(service, level), pino.destination({ sync: false }))
}
