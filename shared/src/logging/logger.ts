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

export function createLogger(service: string, level = 'info'): Logger {
  return pino(loggerOptions(service, level))
}
