import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import Type from 'typebox'

/**
 * A readiness check resolves when its dependency answers and rejects (or times out) otherwise.
 * It may resolve with figures worth showing (an outbox's backlog).
 */
export type ReadinessCheck = () => Promise<unknown>

const CheckResult = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  /** Whether the service stops taking traffic while it is down. */
  critical: Type.Boolean(),
  error: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Number())),
})

export const ReadinessReport = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('degraded'), Type.Literal('not_ready')]),
  service: Type.String(),
  checks: Type.Record(Type.String(), CheckResult),
})

const withTimeout = (check: ReadinessCheck, ms: number) =>
  Promise.race([
    check(),
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ])

const figures = (value: unknown) =>
  value && typeof value === 'object' && Object.values(value).every((v) => typeof v === 'number') ? value as Record<string, number> : undefined

export interface HealthOptions {
  service: string
  /** Without these the service cannot answer: /readyz is 503 and it is taken out of rotation. */
  checks: Record<string, ReadinessCheck>
  /**
   * Without these it still answers, worse: /readyz stays 200 and says `degraded`, naming them.
   * Kafka is one: writes keep working through the outbox while it is away.
   */
  reports?: Record<string, ReadinessCheck>
  timeoutMs?: number
}

/**
 * /healthz: the process is alive. /readyz: every dependency, each up or down; 503 (not_ready) when
 * a critical one is down, 200 with `degraded` when only a report is.
 */
export const healthPlugin = fp(async (app: FastifyInstance, options: HealthOptions) => {
  const timeoutMs = options.timeoutMs ?? 2000
  const all = [
    ...Object.entries(options.checks).map(([name, check]) => ({ name, check, critical: true })),
    ...Object.entries(options.reports ?? {}).filter(([name]) => !(name in options.checks)).map(([name, check]) => ({ name, check, critical: false })),
  ]
  app.get('/healthz', { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }))
  app.get('/readyz', { schema: { hide: true, response: { 200: ReadinessReport, 503: ReadinessReport } } }, async (_request, reply) => {
    const entries = await Promise.all(all.map(async ({ name, check, critical }) => {
      try {
        const details = figures(await withTimeout(check, timeoutMs))
        return [name, { status: 'up' as const, critical, ...(details ? { details } : {}) }] as const
      } catch (error) {
        const details = figures((error as { details?: unknown }).details)
        return [name, { status: 'down' as const, critical, error: error instanceof Error ? error.message : String(error), ...(details ? { details } : {}) }] as const
      }
    }))
    const down = entries.filter(([, result]) => result.status === 'down')
    const status = down.some(([, result]) => result.critical) ? 'not_ready' : down.length > 0 ? 'degraded' : 'ready'
    return reply.code(status === 'not_ready' ? 503 : 200).send({ status, service: options.service, checks: Object.fromEntries(entries) })
  })
}, { name: 'starling-health' })
