import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import Type from 'typebox'

/** A readiness check resolves when its dependency answers and rejects (or times out) otherwise. */
export type ReadinessCheck = () => Promise<unknown>

export const ReadinessReport = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  service: Type.String(),
  checks: Type.Record(Type.String(), Type.Object({ status: Type.Union([Type.Literal('up'), Type.Literal('down')]), error: Type.Optional(Type.String()) })),
})

const withTimeout = (check: ReadinessCheck, ms: number) =>
  Promise.race([
    check(),
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ])

/** /healthz: the process is alive. /readyz: every dependency answers; 503 names the ones that do not. */
export const healthPlugin = fp(async (app: FastifyInstance, options: { service: string; checks: Record<string, ReadinessCheck>; timeoutMs?: number }) => {
  const timeoutMs = options.timeoutMs ?? 2000
  app.get('/healthz', { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }))
  app.get('/readyz', { schema: { hide: true, response: { 200: ReadinessReport, 503: ReadinessReport } } }, async (_request, reply) => {
    const entries = await Promise.all(Object.entries(options.checks).map(async ([name, check]) => {
      try {
        await withTimeout(check, timeoutMs)
        return [name, { status: 'up' as const }] as const
      } catch (error) {
        return [name, { status: 'down' as const, error: error instanceof Error ? error.message : String(error) }] as const
      }
    }))
    const ready = entries.every(([, result]) => result.status === 'up')
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', service: options.service, checks: Object.fromEntries(entries) })
  })
}, { name: 'starling-health' })
