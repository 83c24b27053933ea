import { pino, type Logger, type LoggerOptions } from 'pino'

/** Never logged, wherever they appear in a request, a body or an error. */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization',
  'password', '*.password', 'token', '*.token', 'access_token', '*.access_token', 'refresh_token', '*.refresh_token',
  'email', '*.email',
]

/** Query parameters whose values are secrets, should a client put one in a URL. */
const SECRET_PARAMS = /([?&](?:access_token|refresh_token|id_token|token|password|secret|api_key|code)=)[^&#]*/gi

/** A URL as it may be logged: the values of secret query parameters replaced. */
export const redactUrl = (url: string) => url.replace(SECRET_PARAMS, '$1[redacted]')

interface LoggedRequest { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Fastify's request serializer, with the URL redacted (it takes precedence over Fastify's own).
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: req.url && redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
  }
}

// Asynchronous stdout: lines logged while a write is under way go out together in the next one,
// instead of a blocking write per line (two per request). pino flushes it when the process exits.
// https://github.com/pinojs/pino/blob/main/docs/asynchronous.md
export function createLogger(service: string, level = 'info'): Logger {
  return pino(loggerOptions(service, level), pino.destination({ sync: false }))
}
